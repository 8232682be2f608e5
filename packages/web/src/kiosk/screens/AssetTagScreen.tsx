import { Button, Stack, Text, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../../ui/icons.js';
import { ScreenTitle } from '../../ui/ScreenTitle.js';
import type { KioskAction } from '../api.js';

/**
 * A device's asset tag for restocking a loaner or placing a repaired device:
 * the barcode scanner types into the field (it ends with Enter), and a
 * technician can type it too. Enter, or the button, opens a locker.
 */
export function AssetTagScreen({
  kind,
  busy,
  onAction,
}: {
  kind: 'restock_loaners' | 'place_for_pickup';
  busy: boolean;
  onAction: (action: KioskAction) => void;
}) {
  const { t } = useTranslation();
  const [tag, setTag] = useState('');
  const input = useRef<HTMLInputElement>(null);
  // The scanner (a keyboard to the browser) types into the field at once, no tap first.
  useEffect(() => input.current?.focus({ preventScroll: true }), []);
  const words = kind === 'restock_loaners' ? 'restock' : 'place';
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    const assetTag = tag.trim();
    if (busy || !assetTag) return;
    onAction({ kind, assetTag });
  };
  return (
    <Stack gap="lg" className={`screen asset-tag ${words}`}>
      <div>
        <ScreenTitle size="h2" takeFocus={false}>
          {t(`tech.${words}Title`)}
        </ScreenTitle>
        <Text className="lead">{t('tech.tagHint')}</Text>
      </div>
      <form onSubmit={submit}>
        <Stack gap="lg">
          <TextInput
            size="xl"
            ref={input}
            label={t('tech.tag')}
            value={tag}
            onChange={(e) => setTag(e.currentTarget.value.slice(0, 64))}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            leftSection={<Icon name="barcode" />}
            className="tag-field"
          />
          <Button size="xl" type="submit" loading={busy} disabled={!tag.trim()} leftSection={<Icon name="check" />}>
            {t('tech.openLocker')}
          </Button>
        </Stack>
      </form>
    </Stack>
  );
}
