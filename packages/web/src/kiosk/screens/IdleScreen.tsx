import { Button, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/icons.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';
import type { ProblemView } from '../kiosk-state.js';
import { Notice } from './Notice.js';

export interface IdleScreenProps {
  busy: boolean;
  notice: ProblemView | null;
  onUsePin: () => void;
}

/** The welcome screen: a badge scan (anywhere on the page) signs in. */
export function IdleScreen({ busy, notice, onUsePin }: IdleScreenProps) {
  const { t } = useTranslation();
  return (
    <Stack align="center" justify="center" gap="lg" className="screen idle">
      <div className="idle-art" aria-hidden="true">
        <Icon name="badge" size={140} />
      </div>
      <ScreenTitle>{t('idle.title')}</ScreenTitle>
      <Text className="lead">{t('idle.subtitle')}</Text>
      <div aria-live="polite" className="idle-status">
        {busy ? (
          <Text className="lead" component="div">
            <Loader size="md" aria-hidden="true" className="inline-loader" /> {t('idle.checking')}
          </Text>
        ) : notice ? (
          <Notice problem={notice} />
        ) : null}
      </div>
      <Button size="xl" variant="light" onClick={onUsePin} disabled={busy} leftSection={<Icon name="keypad" />}>
        {t('idle.usePin')}
      </Button>
    </Stack>
  );
}
