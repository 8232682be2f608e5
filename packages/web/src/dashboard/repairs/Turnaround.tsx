import { NativeSelect, Paper, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRenderContext } from '../lists/reference.js';
import { useAge } from './BoardCard.js';
import type { RepairBoard, TurnaroundGroup } from '@cubby/protocol/api';

/**
 * The board's header: how long tickets spent in each step (median and p90)
 * and end to end, for the whole district or one campus or one model.
 */
export function TurnaroundHeader({ board }: { board: RepairBoard }) {
  const { t } = useTranslation();
  const ctx = useRenderContext();
  const age = useAge();
  const { overall, campuses, models } = board.turnaround;
  const scopes: { key: string; label: string; group: TurnaroundGroup }[] = [
    { key: 'all', label: t('repairDesk.turnaround.everywhere'), group: overall },
    ...campuses.map((c) => ({
      key: `site:${c.siteId}`,
      label: t('repairDesk.turnaround.byCampus', { name: c.name || ctx.siteName(c.siteId) }),
      group: c,
    })),
    ...models.map((m) => ({ key: `model:${m.model}`, label: t('repairDesk.turnaround.byModel', { name: m.model }), group: m })),
  ];
  const [chosen, setChosen] = useState('all');
  const scope = scopes.find((s) => s.key === chosen) ?? scopes[0]!;
  const stats = [
    ...scope.group.states.map((s) => ({ key: s.status, label: t(`repairs.statuses.${s.status}`), stat: s })),
    { key: 'end_to_end', label: t('repairDesk.turnaround.endToEnd'), stat: scope.group.endToEnd },
  ];
  const duration = (ms: number | null) => (ms === null ? t('repairDesk.turnaround.none') : age(ms));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="turnaround-title" data-turnaround className="turnaround">
      <div className="turnaround-head">
        <div>
          <Title order={2} fz="h3" id="turnaround-title">
            {t('repairDesk.turnaround.title')}
          </Title>
          <Text c="gray.7" fz="sm">
            {t('repairDesk.turnaround.hint')}
          </Text>
        </div>
        <NativeSelect
          label={t('repairDesk.turnaround.scope')}
          value={scope.key}
          onChange={(e) => setChosen(e.currentTarget.value)}
          data={scopes.map((s) => ({ value: s.key, label: s.label }))}
          w={260}
        />
      </div>
      <div className="table-scroll" tabIndex={0} role="region" aria-labelledby="turnaround-title">
        <Table verticalSpacing={4} fz="sm" className="turnaround-table" data-scope={scope.key}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="row">{t('repairDesk.turnaround.step')}</Table.Th>
              {stats.map((s) => (
                <Table.Th key={s.key} scope="col" data-stat={s.key}>
                  {s.label}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th scope="row">{t('repairDesk.turnaround.median')}</Table.Th>
              {stats.map((s) => (
                <Table.Td key={s.key} className="nowrap">
                  {duration(s.stat.medianMs)}
                </Table.Td>
              ))}
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('repairDesk.turnaround.p90')}</Table.Th>
              {stats.map((s) => (
                <Table.Td key={s.key} className="nowrap">
                  {duration(s.stat.p90Ms)}
                </Table.Td>
              ))}
            </Table.Tr>
            <Table.Tr>
              <Table.Th scope="row">{t('repairDesk.turnaround.count')}</Table.Th>
              {stats.map((s) => (
                <Table.Td key={s.key}>{s.stat.count}</Table.Td>
              ))}
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </div>
    </Paper>
  );
}
