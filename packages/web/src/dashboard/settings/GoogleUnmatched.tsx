import { Stack, Table, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { GoogleSyncRun } from '@cubby/protocol/api';
import { SettingsTable } from './settings-ui.js';

type Unmatched = GoogleSyncRun['unmatched']['onlyInGoogle'][number];

/** What the latest sync did not match, both ways: the devices a person decides about (nothing is created). */
export function GoogleUnmatched({ run }: { run: GoogleSyncRun }) {
  const { t } = useTranslation();
  const lists = [
    { key: 'onlyInGoogle', items: run.unmatched.onlyInGoogle, count: run.counts.onlyInGoogle },
    { key: 'onlyInCubby', items: run.unmatched.onlyInCubby, count: run.counts.onlyInCubby },
  ] as const;
  if (lists.every((l) => l.count === 0)) return null;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4">
        {t('settings.google.unmatchedTitle')}
      </Title>
      {lists
        .filter((l) => l.count > 0)
        .map((l) => (
          <Stack key={l.key} gap={4} data-unmatched={l.key}>
            <Title order={3} size="h5">
              {t(`settings.google.${l.key}`, { count: l.count })}
            </Title>
            <SettingsTable<Unmatched>
              items={l.items}
              minWidth={420}
              columns={[t('settings.google.serial'), t('settings.google.assetTag'), t('settings.google.model')]}
              row={(d) => (
                <Table.Tr key={`${d.serial}-${d.assetTag}`}>
                  <Table.Td>{d.serial ?? t('app.none')}</Table.Td>
                  <Table.Td>{d.assetTag ?? t('app.none')}</Table.Td>
                  <Table.Td>{d.model ?? t('app.none')}</Table.Td>
                </Table.Tr>
              )}
            />
          </Stack>
        ))}
    </Stack>
  );
}
