import { Badge, Card, Group, Paper, SimpleGrid, Skeleton, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api } from '../api.js';
import type { FleetCounts as Counts, Overview } from '@cubby/protocol/api';
import { formatAboutTime, formatDateTime, formatTime } from '../ui/format.js';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';

const CampusChart = lazy(() => import('./CampusChart.js'));

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

/** The columns of each campus's station table. */
const stationColumns: (keyof Counts)[] = [
  'loaded',
  'empty',
  'outOfService',
  'loanersAvailable',
  'devicesOut',
  'overdue',
  'flaggedForRepair',
];

export function OverviewPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(t('overview.title'));
  const overview = useOverview();
  return (
    <Stack gap="lg" data-page="overview">
      <Group justify="space-between" align="baseline">
        <Title order={1}>{t('overview.title')}</Title>
        {overview.data && (
          <Text c="gray.7" fz="sm">
            {t('overview.updated', { time: formatTime(i18n.language, overview.data.generatedAt) })}
          </Text>
        )}
      </Group>
      <QueryState query={overview}>
        {(data) => (
          <>
            <SimpleGrid cols={{ base: 2, sm: 3, lg: 6 }} spacing="sm">
              {headline.map(({ key, tone }) => (
                <Card key={key} withBorder padding="sm" data-total={key}>
                  <Text fz="sm" c="gray.7" fw={600}>
                    {t(`counts.${key}`)}
                  </Text>
                  <Text fz={28} fw={800} c={data.totals[key] > 0 && tone ? tone : 'dark.9'}>
                    {data.totals[key]}
                  </Text>
                </Card>
              ))}
            </SimpleGrid>
            {data.campuses.length === 0 ? (
              <Text>{t('overview.noCampuses')}</Text>
            ) : (
              <Paper withBorder p="md">
                <Title order={2} fz="h4" mb="sm">
                  {t('overview.chartTitle')}
                </Title>
                <Suspense fallback={<Skeleton h={260} />}>
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
                  {campus.name}
                </Title>
                <ChargingNote counts={campus.totals} at={campus.nextLendableAt} timeZone={campus.timeZone} />
                {campus.stations.length === 0 ? (
                  <Text c="gray.7">{t('overview.noStations')}</Text>
                ) : (
                  <div className="table-scroll" tabIndex={0}>
                    <Table striped highlightOnHover verticalSpacing="xs" miw={720}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th scope="col">{t('overview.station')}</Table.Th>
                          <Table.Th scope="col">{t('overview.status')}</Table.Th>
                          {stationColumns.map((key) => (
                            <Table.Th key={key} scope="col" ta="right">
                              {t(`counts.${key}`)}
                            </Table.Th>
                          ))}
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {campus.stations.map((station) => (
                          <Table.Tr key={station.id} data-station={station.name}>
                            <Table.Th scope="row">
                              <Text component={Link} to={`/stations/${station.id}`} c="blue.9" fw={700} td="underline">
                                {station.name}
                              </Text>
                            </Table.Th>
                            <Table.Td>
                              <Stack gap={2}>
                                <Badge
                                  color={station.connected ? '#1b6e2f' : 'red.9'}
                                  variant="filled"
                                  data-connected={station.connected}
                                >
                                  {station.connected ? t('overview.online') : t('overview.offline')}
                                </Badge>
                                {!station.connected && (
                                  <Text fz="xs" c="gray.7">
                                    {station.lastSeenAt
                                      ? t('overview.lastSeen', { time: formatDateTime(i18n.language, station.lastSeenAt) })
                                      : t('overview.neverSeen')}
                                  </Text>
                                )}
                                {station.backlog > 0 && (
                                  <Text fz="xs" c="orange.9" fw={600}>
                                    {t('overview.backlog', { count: station.backlog })}
                                  </Text>
                                )}
                              </Stack>
                            </Table.Td>
                            {stationColumns.map((key) => (
                              <Table.Td key={key} ta="right" data-count={key}>
                                {station.counts[key]}
                                {key === 'loanersAvailable' && (
                                  <ChargingNote counts={station.counts} at={station.nextLendableAt} timeZone={campus.timeZone} />
                                )}
                              </Table.Td>
                            ))}
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </div>
                )}
              </Paper>
            ))}
          </>
        )}
      </QueryState>
    </Stack>
  );
}

/** The ready loaners the kiosk will not lend yet: "2 charging — lendable at about 10:40" (campus time). */
function ChargingNote({ counts, at, timeZone }: { counts: Counts; at: number | null; timeZone: string }) {
  const { t, i18n } = useTranslation();
  if (counts.loanersCharging === 0) return null;
  const text =
    at === null
      ? t('overview.belowFloor', { count: counts.loanersCharging })
      : t('overview.chargingAt', { count: counts.loanersCharging, time: formatAboutTime(i18n.language, at, timeZone) });
  return (
    // A dark amber: readable (WCAG AA at 12 px) on the striped rows too.
    <Text fz="xs" c="#8f3a0b" fw={600} miw="10rem" data-charging-note>
      {text}
    </Text>
  );
}
