import { Anchor, Card, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.js';
import type { FleetCounts as Counts, Overview } from '@cubby/protocol/api';
import { useZones } from '../lists/reference.js';
import { formatTime } from '../ui/format.js';
import { CampusChartPreview } from './CampusChartPreview.js';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';
import { useSession } from '../session.js';
import { ChargingNote, StationsTable } from './StationsTable.js';

// Fetched as soon as this page's code runs (not when the overview's numbers arrive), and drawn
// meanwhile by a preview in the chart's own layout: never a grey box where the chart will be.
const chartChunk = import('./CampusChart.js');
const CampusChart = lazy(() => chartChunk);

export function useOverview() {
  return useQuery({ queryKey: ['overview'], queryFn: () => api<Overview>('/overview') });
}

const headline: { key: keyof Counts; tone?: string }[] = [
  { key: 'loanersAvailable' },
  { key: 'devicesOut' },
  { key: 'overdue', tone: 'red.9' },
  { key: 'flaggedForRepair', tone: 'orange.9' },
  { key: 'stationsOnline' },
  { key: 'stationsOffline', tone: 'red.9' },
];

/** The headline counts of the district, or of one campus, as cards. */
export function TotalsCards({ totals }: { totals: Counts }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
      {headline.map(({ key, tone }) => (
        <Card key={key} withBorder padding="sm" data-total={key}>
          <Text fz="sm" c="gray.7" fw={600}>
            {t(`counts.${key}`)}
          </Text>
          <Text fz={28} fw={800} c={totals[key] > 0 && tone ? tone : 'dark.9'}>
            {totals[key]}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/**
 * The page's title: the district for district-wide staff; a campus's own name
 * for staff of one campus (their overview is that campus, not the district).
 */
function useOverviewTitle(overview: Overview | undefined): string {
  const { t } = useTranslation();
  const { me } = useSession();
  if (me.siteIds === null) return t('overview.title');
  const only = overview?.campuses.length === 1 ? overview.campuses[0] : undefined;
  return only ? only.name : t('overview.yourCampuses');
}

export function OverviewPage() {
  const { t, i18n } = useTranslation();
  const zones = useZones();
  const overview = useOverview();
  const title = useOverviewTitle(overview.data);
  usePageTitle(title);
  return (
    <Stack gap="lg" data-page="overview">
      <Group justify="space-between" align="baseline">
        <Title order={1}>{title}</Title>
        {overview.data && (
          <Text c="gray.7" fz="sm">
            {t('overview.updated', {
              time: formatTime(i18n.language, overview.data.generatedAt, overview.data.campuses[0]?.timeZone ?? zones.district),
            })}
          </Text>
        )}
      </Group>
      <QueryState query={overview}>
        {(data) => (
          <>
            <TotalsCards totals={data.totals} />
            {data.campuses.length === 0 ? (
              <Text>{t('overview.noCampuses')}</Text>
            ) : (
              <Paper withBorder p="md">
                <Title order={2} fz="h4" mb="sm">
                  {t('overview.chartTitle')}
                </Title>
                <Suspense fallback={<CampusChartPreview overview={data} />}>
                  <CampusChart overview={data} />
                </Suspense>
              </Paper>
            )}
            {data.campuses.map((campus) => (
              <Paper
                key={campus.id}
                withBorder
                p="md"
                component="section"
                aria-labelledby={`campus-${campus.id}`}
                data-campus={campus.name}
              >
                <Title order={2} fz="h3" id={`campus-${campus.id}`} mb="xs">
                  <Anchor component={Link} to={`/campuses/${campus.id}`} c="blue.9" inherit underline="always">
                    {campus.name}
                  </Anchor>
                </Title>
                <ChargingNote counts={campus.totals} at={campus.nextLendableAt} timeZone={campus.timeZone} />
                <StationsTable campus={campus} />
              </Paper>
            ))}
          </>
        )}
      </QueryState>
    </Stack>
  );
}
