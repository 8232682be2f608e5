import { Badge, Group, List, NativeSelect, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { localeOf } from '../../i18n/format.js';
import { api, queryString } from '../api.js';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';
import type { CampusCapacity, CapacityReport } from '@cubby/protocol/api';

const historyChoices = [30, 60, 90, 180];
const serviceChoices = [90, 95, 99];
const day = 86_400_000;

/**
 * The capacity page (GET /capacity, docs/analytics.md): per campus, the
 * loaners it holds against what its history says it needs, and for the
 * district the moves of spares. The method is stated under the numbers, so
 * an IT director can explain them to a school board.
 */
export function CapacityPage() {
  const { t } = useTranslation();
  usePageTitle(t('capacity.title'));
  const [days, setDays] = useState(90);
  const [percent, setPercent] = useState(99);
  const report = useQuery({
    queryKey: ['capacity', days, percent],
    queryFn: () => {
      // Whole minutes, so the key's window is the same on every render of one minute.
      const to = Math.ceil(Date.now() / 60_000) * 60_000;
      return api<CapacityReport>(`/capacity${queryString({ from: to - days * day, to, servicePercent: percent })}`);
    },
    placeholderData: keepPreviousData,
  });
  return (
    <Stack gap="md" data-page="capacity">
      <Title order={1}>{t('capacity.title')}</Title>
      <Text c="gray.7" maw={860}>
        {t('capacity.intro')}
      </Text>
      <Group gap="md" align="end">
        <NativeSelect
          label={t('capacity.history')}
          value={String(days)}
          onChange={(e) => setDays(Number(e.currentTarget.value))}
          data={historyChoices.map((n) => ({ value: String(n), label: t('capacity.historyDays', { count: n }) }))}
          w={200}
        />
        <NativeSelect
          label={t('capacity.serviceLevel')}
          value={String(percent)}
          onChange={(e) => setPercent(Number(e.currentTarget.value))}
          data={serviceChoices.map((n) => ({ value: String(n), label: t('capacity.servicePercent', { percent: n }) }))}
          w={220}
        />
      </Group>
      <QueryState query={report}>
        {(data) => (
          <>
            <CampusTable report={data} />
            {data.rebalancing && <Moves rebalancing={data.rebalancing} />}
            <Method />
          </>
        )}
      </QueryState>
    </Stack>
  );
}

function CampusTable({ report }: { report: CapacityReport }) {
  const { t, i18n } = useTranslation();
  const number = new Intl.NumberFormat(localeOf(i18n.language), { maximumFractionDigits: 1 });
  const share = new Intl.NumberFormat(localeOf(i18n.language), { style: 'percent', maximumFractionDigits: 1 });
  if (report.campuses.length === 0) return <Text>{t('capacity.noCampuses')}</Text>;
  return (
    <Paper withBorder p="xs">
      <div className="table-scroll" tabIndex={0} role="region" aria-label={t('capacity.title')}>
        <Table verticalSpacing="sm" data-capacity-table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('capacity.campus')}</Table.Th>
              <Table.Th scope="col">{t('capacity.current')}</Table.Th>
              <Table.Th scope="col">{t('capacity.recommended')}</Table.Th>
              <Table.Th scope="col">{t('capacity.balance')}</Table.Th>
              <Table.Th scope="col">{t('capacity.dayLoans')}</Table.Th>
              <Table.Th scope="col">{t('capacity.swapLoans')}</Table.Th>
              <Table.Th scope="col">{t('capacity.shortDay')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.campuses.map((c) => (
              <Table.Tr key={c.siteId} data-campus={c.siteId}>
                <Table.Th scope="row">
                  <Text fw={600}>{c.name}</Text>
                  <Text fz="sm" c="gray.7">
                    {t('capacity.schoolDays', { count: c.inputs.schoolDays })}
                  </Text>
                </Table.Th>
                <Table.Td data-current>{c.current}</Table.Td>
                <Table.Td data-recommended>{c.recommended}</Table.Td>
                <Table.Td>
                  <Balance campus={c} />
                </Table.Td>
                <Table.Td>
                  <Text>{c.dayLoans.needed}</Text>
                  <Text fz="sm" c="gray.7">
                    {t('capacity.dayLoansDetail', { mean: number.format(c.dayLoans.meanPeak), top: c.dayLoans.sampleQuantile })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text>{c.swapLoans.needed}</Text>
                  <Text fz="sm" c="gray.7">
                    {t('capacity.swapLoansDetail', { away: number.format(c.inputs.awayAtRepair) })}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text fz="sm">
                    {t('capacity.shortDayDetail', {
                      now: share.format(c.shortDayChance.current),
                      plan: share.format(c.shortDayChance.recommended),
                    })}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </div>
    </Paper>
  );
}

/** Spare in green, short in red, with the words: colour is never the only sign. */
function Balance({ campus }: { campus: CampusCapacity }) {
  const { t } = useTranslation();
  if (campus.surplus === 0)
    return (
      <Badge color="gray" variant="light" data-balance="even">
        {t('capacity.even')}
      </Badge>
    );
  const spare = campus.surplus > 0;
  return (
    <Badge color={spare ? 'teal.9' : 'red.9'} variant="filled" data-balance={spare ? 'spare' : 'short'}>
      {t(spare ? 'capacity.spare' : 'capacity.short', { count: Math.abs(campus.surplus) })}
    </Badge>
  );
}

function Moves({ rebalancing }: { rebalancing: NonNullable<CapacityReport['rebalancing']> }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="moves-title" data-moves>
      <Title order={2} fz="h3" id="moves-title">
        {t('capacity.moves.title')}
      </Title>
      <Text c="gray.7" fz="sm" mb="xs">
        {t('capacity.moves.intro')}
      </Text>
      {rebalancing.moves.length === 0 ? (
        <Text>{t('capacity.moves.none')}</Text>
      ) : (
        <List>
          {rebalancing.moves.map((m) => (
            <List.Item key={`${m.fromSiteId}>${m.toSiteId}`} data-move>
              {t('capacity.moves.move', { count: m.loaners, from: m.fromName, to: m.toName })}
            </List.Item>
          ))}
        </List>
      )}
      {rebalancing.unmet > 0 && (
        <Text mt="xs" c="red.9">
          {t('capacity.moves.unmet', { count: rebalancing.unmet })}
        </Text>
      )}
      {rebalancing.unused > 0 && (
        <Text mt="xs" c="gray.7">
          {t('capacity.moves.unused', { count: rebalancing.unused })}
        </Text>
      )}
    </Paper>
  );
}

function Method() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="method-title">
      <Title order={2} fz="h3" id="method-title">
        {t('capacity.method.title')}
      </Title>
      <List spacing="xs" mt="xs" maw={860}>
        <List.Item>{t('capacity.method.dayLoans')}</List.Item>
        <List.Item>{t('capacity.method.swapLoans')}</List.Item>
        <List.Item>{t('capacity.method.shortDay')}</List.Item>
        <List.Item>{t('capacity.method.limits')}</List.Item>
      </List>
    </Paper>
  );
}
