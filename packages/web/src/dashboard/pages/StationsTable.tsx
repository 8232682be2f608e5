import { Badge, Stack, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FleetCounts as Counts, OverviewCampus, OverviewStation } from '@cubby/protocol/api';
import { formatAboutTime, formatDateTime } from '../ui/format.js';

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

/** A campus's stations with their counts, each a link to its grid (the overview and the campus page). */
export function StationsTable({ campus }: { campus: OverviewCampus }) {
  const { t } = useTranslation();
  return (
    <>
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
                    <StationStatus station={station} timeZone={campus.timeZone} />
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
    </>
  );
}

function StationStatus({ station, timeZone }: { station: OverviewStation; timeZone: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Stack gap={2}>
      <Badge color={station.connected ? '#1b6e2f' : 'red.9'} variant="filled" data-connected={station.connected}>
        {station.connected ? t('overview.online') : t('overview.offline')}
      </Badge>
      {!station.connected && (
        <Text fz="xs" c="gray.7">
          {station.lastSeenAt
            ? t('overview.lastSeen', { time: formatDateTime(i18n.language, station.lastSeenAt, timeZone) })
            : t('overview.neverSeen')}
        </Text>
      )}
      {station.backlog > 0 && (
        <Text fz="xs" c="orange.9" fw={600}>
          {t('overview.backlog', { count: station.backlog })}
        </Text>
      )}
    </Stack>
  );
}

/** The ready loaners the kiosk will not lend yet: "2 charging — lendable at about 10:40" (campus time). */
export function ChargingNote({ counts, at, timeZone }: { counts: Counts; at: number | null; timeZone: string }) {
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
