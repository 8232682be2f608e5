import { Badge, Paper, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ImportHistory, ImportHistoryItem } from '@cubby/protocol/api';
import { api } from '../api.js';
import { useZones } from '../lists/reference.js';
import { formatDateTime } from '../ui/format.js';
import { QueryState } from '../ui/QueryState.js';

export const historyKey = ['imports'];

const countParts = ['created', 'updated', 'deactivated'] as const;
const statusColors = { previewed: 'gray.8', applied: '#1e6b34', refused: 'red.9' } as const;

/** Every import run, newest first: who, when, the file, its kind, its counts and whether it was applied. */
export function ImportHistoryTable() {
  const { t } = useTranslation();
  const history = useQuery({ queryKey: historyKey, queryFn: () => api<ImportHistory>('/imports') });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="import-history" data-import-history>
      <Title order={2} fz="h3" id="import-history" mb="sm">
        {t('importing.historyTitle')}
      </Title>
      <QueryState query={history}>
        {(data) =>
          data.items.length === 0 ? (
            <Text c="gray.7">{t('importing.noHistory')}</Text>
          ) : (
            <Table.ScrollContainer minWidth={600}>
              <Table striped withTableBorder aria-labelledby="import-history">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th scope="col">{t('importing.when')}</Table.Th>
                    <Table.Th scope="col">{t('importing.who')}</Table.Th>
                    <Table.Th scope="col">{t('importing.file')}</Table.Th>
                    <Table.Th scope="col">{t('importing.kindColumn')}</Table.Th>
                    <Table.Th scope="col">{t('importing.counts')}</Table.Th>
                    <Table.Th scope="col">{t('importing.status')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.items.map((run) => (
                    <HistoryRow key={run.id} run={run} />
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )
        }
      </QueryState>
    </Paper>
  );
}

function HistoryRow({ run }: { run: ImportHistoryItem }) {
  const { t, i18n } = useTranslation();
  const zones = useZones();
  // Only what changed, so a row stays short: "People: 1 new, 2 updated"; all unchanged says so.
  const counts = Object.entries(run.counts).map(([kind, c]) => {
    const changed = countParts.filter((part) => c[part] > 0);
    const parts = (changed.length > 0 ? changed : (['unchanged'] as const)).map((part) =>
      t(`importing.countParts.${part}`, { count: c[part] }),
    );
    return `${t(`importing.records.${kind as 'people'}`, { defaultValue: kind })}: ${parts.join(', ')}`;
  });
  return (
    <Table.Tr data-import-run={run.status}>
      <Table.Td>{formatDateTime(i18n.language, run.appliedAt ?? run.createdAt, zones.district)}</Table.Td>
      <Table.Td>{run.by ?? t('importing.byCli')}</Table.Td>
      <Table.Td style={{ overflowWrap: 'anywhere' }}>{run.fileName}</Table.Td>
      <Table.Td>{t(`importing.kinds.${run.kind}`)}</Table.Td>
      <Table.Td>
        {counts.map((line) => (
          <Text key={line} fz="sm">
            {line}
          </Text>
        ))}
      </Table.Td>
      <Table.Td>
        <Badge variant="filled" color={statusColors[run.status]}>
          {t(`importing.statuses.${run.status}`)}
        </Badge>
      </Table.Td>
    </Table.Tr>
  );
}
