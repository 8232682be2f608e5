import { Button, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { defaultAgreement } from '../../i18n/agreement.js';
import { isLanguage } from '../../i18n/index.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';

/** The district's loaner agreement, accepted once per student before the first loaner. */
export function AgreementScreen({
  busy,
  text,
  onAccept,
  onDecline,
}: {
  busy: boolean;
  /** The district's text; the built-in agreement when it set none. */
  text?: { en: string[]; es: string[] } | undefined;
  onAccept: () => void;
  onDecline: () => void;
}) {
  const { t, i18n } = useTranslation();
  const paragraphs = (text ?? defaultAgreement)[isLanguage(i18n.language) ? i18n.language : 'en'];
  return (
    <Stack gap="lg" className="screen agreement">
      <div>
        <ScreenTitle size="h2">{t('agreement.title')}</ScreenTitle>
        <Text className="lead">{t('agreement.intro')}</Text>
      </div>
      {/* Focusable so it can be scrolled with the keyboard too. */}
      <div className="agreement-text" tabIndex={0} role="region" aria-label={t('agreement.title')}>
        <ol>
          {paragraphs.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ol>
      </div>
      <Group gap="md" grow>
        <Button size="xl" onClick={onAccept} loading={busy}>
          {t('agreement.accept')}
        </Button>
        <Button size="xl" variant="default" onClick={onDecline} disabled={busy}>
          {t('agreement.decline')}
        </Button>
      </Group>
    </Stack>
  );
}
