import { Anchor, Badge, Group, Paper, Stack, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { DeviceProfile } from '@cubby/protocol/api';
import { api, ApiError } from '../api.js';
import { loansList, PageLink, repairsList } from '../lists/list-defs.js';
import { PersonList } from '../people/PersonPage.js';
import { useRenderContext } from '../lists/reference.js';
import { Facts } from '../ui/Facts.js';
import { formatDate, formatDateTime } from '../ui/format.js';
import { NotFound } from '../ui/NoAccess.js';
import { usePageTitle } from '../ui/page-title.js';
import { QueryState } from '../ui/QueryState.js';
import { DeviceActions } from './DeviceActions.js';
import { DeviceTimeline } from './DeviceTimeline.js';

export const deviceKey = (id: string) => ['device', id];
const day = 86_400_000;

/**
 * One device (GET /devices/:id; 404 outside the user's campuses): where it is,
 * its owner, condition, warranty, battery and where that reading came from,
 * then its timeline from the audit trail.
 */
export function DevicePage() {
  const { deviceId = '' } = useParams();
  const profile = useQuery({
    queryKey: deviceKey(deviceId),
    queryFn: () => api<DeviceProfile>(`/devices/${encodeURIComponent(deviceId)}`),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
  if (profile.error instanceof ApiError && profile.error.status === 404) return <NotFound />;
  return <QueryState query={profile}>{(data) => <Device profile={data} />}</QueryState>;
}

function Device({ profile }: { profile: DeviceProfile }) {
  const { t } = useTranslation();
  const ctx = useRenderContext();
  const { device } = profile;
  usePageTitle(device.assetTag);
  const zone = device.stationId ? ctx.zones.ofStation(device.stationId) : profile.timeZone;
  return (
    <Stack gap="lg" data-page="device" data-device={device.assetTag}>
      <Anchor component={Link} to="/devices" c="blue.9" fw={600} w="fit-content">
        ← {t('device.back')}
      </Anchor>
      <Group justify="space-between" align="flex-start" gap="sm">
        <Group gap="sm" align="center">
          <Title order={1}>{device.assetTag}</Title>
          <Badge variant="outline" color="gray.8">
            {t(`devices.pools.${device.pool}`)}
          </Badge>
          <Badge variant="filled" color="blue.9" data-status={device.status}>
            {t(`devices.statuses.${device.status}`)}
          </Badge>
        </Group>
        <DeviceActions profile={profile} />
      </Group>
      <Paper withBorder p="md" component="section" aria-label={device.assetTag}>
        <Facts
          items={[
            [t('devices.model'), device.model],
            [t('devices.serial'), device.serial ?? '—'],
            [
              t('device.where'),
              device.stationId ? (
                <PageLink to={`/stations/${encodeURIComponent(device.stationId)}`}>
                  {t('device.compartment', { station: profile.stationName, number: device.compartmentNumber })}
                </PageLink>
              ) : (
                t('device.notInLocker')
              ),
            ],
            [t('device.homeCampus'), device.siteId ? ctx.siteName(device.siteId) : t('device.noCampus')],
            [t('devices.condition'), device.condition],
            [t('device.warranty'), warranty(t, ctx.language, device.warrantyEnd, zone)],
            [t('device.osUpdatesEnd'), osUpdates(t, ctx.language, device.osUpdatesEnd, zone)],
            [t('device.owner'), owner(t, profile)],
            [t('device.battery'), battery(t, ctx.language, profile, zone)],
            ...fromGoogle(t, device),
            [t('device.loanCount'), String(device.loanCount)],
            [t('devices.lastLoaned'), formatDateTime(ctx.language, device.lastLoanedAt, zone)],
          ]}
        />
      </Paper>
      <DeviceRecords deviceId={device.id} />
      <DeviceTimeline deviceId={device.id} />
    </Stack>
  );
}

/** Its repair tickets (each with the loaner lent for it) and its loans (a swap's naming the ticket): swap → ticket → loaner. */
function DeviceRecords({ deviceId }: { deviceId: string }) {
  const { t } = useTranslation();
  return (
    <>
      <PersonList
        id="device-repairs"
        title={t('person.repairs')}
        empty={t('device.noRepairs')}
        def={repairsList}
        columns={['symptom', 'status', 'loanerAssetTag', 'stationId', 'reportedAt']}
        query={{ deviceId, sort: 'reportedAt', order: 'desc' }}
      />
      <PersonList
        id="device-loans"
        title={t('device.loans')}
        empty={t('device.noLoans')}
        def={loansList}
        columns={['personName', 'reason', 'status', 'repairAssetTag', 'createdAt', 'endedAt']}
        query={{ deviceId, sort: 'createdAt', order: 'desc' }}
      />
    </>
  );
}

/** "Until Jun 30, 2027 (210 days left)" or "Expired 12 days ago (…)": whole days, counted from now. */
function warranty(t: TFunction, language: string, end: number | null, zone: string): string {
  if (end === null) return t('device.warrantyUnknown');
  const date = formatDate(language, end, zone);
  const left = Math.ceil((end - Date.now()) / day);
  return left >= 0 ? t('device.warrantyLeft', { count: left, date }) : t('device.warrantyExpired', { count: -left, date });
}

/** Chrome OS's end of automatic updates (from Google Admin): after it, the device is due for replacement. */
function osUpdates(t: TFunction, language: string, end: number | null, zone: string): string {
  if (end === null) return t('device.osUpdatesUnknown');
  const date = formatDate(language, end, zone);
  const left = Math.ceil((end - Date.now()) / day);
  return left >= 0 ? t('device.osUpdatesLeft', { count: left, date }) : t('device.osUpdatesEnded', { count: -left, date });
}

/** What only a Google Admin sync knows: shown once a sync has said it. */
function fromGoogle(t: TFunction, device: DeviceProfile['device']): [string, string][] {
  const facts: [string, string][] = [];
  if (device.batteryWorn !== null)
    facts.push([t('device.batteryHealth'), device.batteryWorn ? t('device.batteryWorn') : t('device.batteryGood')]);
  if (device.orgUnitPath) facts.push([t('device.orgUnit'), device.orgUnitPath]);
  return facts;
}

function owner(t: TFunction, profile: DeviceProfile) {
  const id = profile.device.ownerId;
  if (!id) return t('device.noOwner');
  if (!profile.ownerName) return t('device.ownerHidden');
  return <PageLink to={`/people/${encodeURIComponent(id)}`}>{profile.ownerName}</PageLink>;
}

function battery(t: TFunction, language: string, profile: DeviceProfile, zone: string): string {
  const b = profile.battery;
  const charging = b.charging ? ` · ${t('device.batteryCharging')}` : '';
  if (b.source === 'reported' && b.measuredAt !== null)
    return t('device.batteryReported', { percent: b.percent, when: formatDateTime(language, b.measuredAt, zone) }) + charging;
  if (b.charging) return t('device.batteryEstimated', { percent: b.percent }) + charging;
  return t('device.batteryNone');
}
