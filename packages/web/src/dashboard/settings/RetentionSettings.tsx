import { NumberInput, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RetentionPolicy } from '@cubby/protocol/api';
import { api } from '../api.js';
import { ChangeError } from '../ui/Dialog.js';
import { QueryState } from '../ui/QueryState.js';
import { SaveRow, useChange } from './settings-ui.js';

/** The district's retention setting (docs/privacy.md): off (0) by default. */
export function RetentionSettings() {
  const retention = useQuery({ queryKey: ['settings', 'retention'], queryFn: () => api<RetentionPolicy>('/retention') });
  return <QueryState query={retention}>{(data) => <RetentionForm initial={data.eraseInactiveAfterYears ?? 0} />}</QueryState>;
}

function RetentionForm({ initial }: { initial: number }) {
  const { t } = useTranslation();
  const [years, setYears] = useState(initial);
  const [saved, setSaved] = useState(false);
  const save = useChange(
    (eraseInactiveAfterYears: number | null) => api('/retention', { method: 'PUT', body: { eraseInactiveAfterYears } }),
    [['settings', 'retention']],
    () => setSaved(true),
  );
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        save.mutate(years > 0 ? years : null);
      }}
    >
      <Stack gap="md" maw={560}>
        <Text>{t('settings.retention.intro')}</Text>
        <ChangeError error={save.error} />
        <NumberInput
          label={t('settings.retention.years')}
          description={t('settings.retention.yearsHint')}
          value={years}
          min={0}
          max={50}
          allowDecimal={false}
          onChange={(v) => setYears(Number(v) || 0)}
        />
        <SaveRow pending={save.isPending} saved={saved} />
      </Stack>
    </form>
  );
}
