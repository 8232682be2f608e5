import { Anchor, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError, queryString } from '../api.js';
import type { OverviewCampus, Page } from '@cubby/protocol/api';
import type { Row } from '../types.js';
import type { ListDef } from '../lists/list-def.js';
import { FirstRows } from '../lists/FirstRows.js';
import { devicesList, loansList, repairsList } from '../lists/list-defs.js';
import { NotFound } from '../ui/NoAccess.js';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';
import { TotalsCards } from './OverviewPage.js';
import { StationsTable } from './StationsTable.js';

/**
 * One campus: its counts and stations (GET /sites/:id/overview, 404 outside the
 * user's campuses), then its loaners, open loans and open repairs from the
 * read API's lists, each with a link to the full list filtered to the campus.
 */
export function CampusPage() {
  const { siteId = '' } = useParams();
  const campus = useQuery({
    queryKey: ['campus', siteId],
    queryFn: () => api<OverviewCampus>(`/sites/${encodeURIComponent(siteId)}/overview`),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
  if (campus.error instanceof ApiError && campus.error.status === 404) return <NotFound />;
  return <QueryState query={campus}>{(data) => <Campus campus={data} />}</QueryState>;
}

function Campus({ campus }: { campus: OverviewCampus }) {
  const { t } = useTranslation();
  usePageTitle(campus.name);
  const site = { siteId: campus.id };
  return (
    <Stack gap="lg" data-page="campus" data-campus-page={campus.name}>
      <Anchor component={Link} to="/" c="blue.9" fw={600} w="fit-content">
        ← {t('station.back')}
      </Anchor>
      <Title order={1}>{campus.name}</Title>
      <TotalsCards totals={campus.totals} />
      <Paper withBorder p="md" component="section" aria-labelledby="campus-stations">
        <Title order={2} fz="h3" id="campus-stations" mb="xs">
          {t('campus.stations')}
        </Title>
        <StationsTable campus={campus} />
      </Paper>
      <CampusList
        id="loaners"
        title={t('campus.loaners')}
        def={devicesList}
        columns={['assetTag', 'model', 'status', 'batteryPercent', 'lastLoanedAt']}
        query={{ ...site, pool: 'loaner', sort: 'assetTag', order: 'asc' }}
        all={`/devices${queryString({ ...site, pool: 'loaner' })}`}
      />
      <CampusList
        id="loans"
        title={t('campus.openLoans')}
        def={loansList}
        columns={['assetTag', 'personName', 'status', 'stationId', 'createdAt', 'dueAt']}
        query={{ ...site, status: 'active', sort: 'createdAt', order: 'desc' }}
        all={`/loans${queryString(site)}`}
      />
      <CampusList
        id="repairs"
        title={t('campus.openRepairs')}
        def={repairsList}
        columns={['assetTag', 'personName', 'symptom', 'status', 'reportedAt']}
        query={{ ...site, status: 'open', sort: 'reportedAt', order: 'desc' }}
        all={`/repairs${queryString(site)}`}
      />
    </Stack>
  );
}

const shown = 10;

/** The first rows of one list at this campus, with the list's own columns and renderers. */
function CampusList({
  id,
  title,
  def,
  columns: keys,
  query,
  all,
}: {
  id: string;
  title: string;
  def: ListDef;
  columns: string[];
  query: Record<string, string>;
  all: string;
}) {
  const { t } = useTranslation();
  const columns = keys.map((key) => def.columns.find((c) => c.key === key)!);
  const list = useQuery({
    queryKey: ['list', def.resource, query, 'campus'],
    queryFn: () => api<Page<Row>>(`/${def.resource}${queryString({ ...query, limit: shown + 1 })}`),
  });
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`campus-${id}`} data-campus-list={id}>
      <Group justify="space-between" align="baseline" mb="xs">
        <Title order={2} fz="h3" id={`campus-${id}`}>
          {title}
        </Title>
        <Anchor component={Link} to={all} c="blue.9" fw={600}>
          {t('campus.seeAll', { list: title })}
        </Anchor>
      </Group>
      <QueryState query={list}>
        {(page) =>
          page.items.length === 0 ? (
            <Text c="gray.7">{t('campus.none')}</Text>
          ) : (
            <FirstRows rows={page.items} columns={columns} labelledBy={`campus-${id}`} shown={shown} />
          )
        }
      </QueryState>
    </Paper>
  );
}
