import { Anchor, Badge } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { auditActorTypes, devicePools, deviceStatuses, personRoles, repairStatuses } from '@cubby/core/enumerations';
import type { AuditEvent, Device, Loan, Person, RepairTicket } from '@cubby/protocol/api';
import { formatDate, formatDateTime } from '../ui/format.js';
import { listOf, type ColumnDef, type RenderContext } from './list-def.js';
import { PersonPrivacy } from './PersonPrivacy.js';
import { auditSentence } from './audit-sentence.js';
import { PeopleListActions } from '../people/PeopleListActions.js';
import { DevicesBulkActions } from '../devices/DevicesBulkActions.js';
import { DevicesListActions } from '../devices/DevicesListActions.js';

const text = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));
const translated = (ctx: RenderContext, prefix: string, value: string | null) =>
  value === null ? '—' : ctx.t(`${prefix}.${value}`, { defaultValue: value });
const when = (ctx: RenderContext, at: number | null, timeZone: string) => formatDateTime(ctx.language, at, timeZone);

/** A name or asset tag that opens its person or device page. */
export function PageLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <Anchor component={Link} to={to} c="blue.9" fw={600} className="nowrap">
      {children}
    </Anchor>
  );
}
const personLink = (id: string | null, name: string | null) =>
  id && name ? <PageLink to={`/people/${encodeURIComponent(id)}`}>{name}</PageLink> : text(name);
const deviceLink = (id: string, assetTag: string) => <PageLink to={`/devices/${encodeURIComponent(id)}`}>{assetTag}</PageLink>;

function column<T>(key: ColumnDef<T>['key'], label: string, options: Partial<ColumnDef<T>> = {}): ColumnDef<T> {
  return { key, label, ...options } as ColumnDef<T>;
}

const device = column<Device>;
export const devicesList = listOf<Device>({
  path: 'devices',
  resource: 'devices',
  title: 'devices.title',
  searchHint: 'devices.searchHint',
  permission: 'fleet:read',
  actions: DevicesListActions,
  selectable: { permission: 'devices:write', actions: DevicesBulkActions, label: (r) => String(r.assetTag) },
  defaultSort: { sort: 'assetTag', order: 'asc' },
  columns: [
    device('assetTag', 'devices.assetTag', { sort: 'assetTag', render: (r) => deviceLink(r.id, r.assetTag) }),
    device('serial', 'devices.serial'),
    device('model', 'devices.model', { sort: 'model' }),
    device('pool', 'devices.pool', { render: (r, c) => translated(c, 'devices.pools', r.pool) }),
    device('status', 'devices.status', { sort: 'status', render: (r, c) => translated(c, 'devices.statuses', r.status) }),
    device('batteryPercent', 'devices.battery', {
      sort: 'batteryPercent',
      align: 'right',
      render: (r) => `${r.batteryPercent}%`,
    }),
    device('loanCount', 'devices.loans', { sort: 'loanCount', align: 'right' }),
    device('lastLoanedAt', 'devices.lastLoaned', { render: (r, c) => when(c, r.lastLoanedAt, c.zones.ofSite(r.siteId)) }),
    device('siteId', 'devices.campus', { render: (r, c) => c.siteName(r.siteId) }),
  ],
  filters: [
    {
      param: 'status',
      label: 'devices.status',
      options: deviceStatuses.map((s) => ({ value: s, label: `devices.statuses.${s}` })),
    },
    { param: 'pool', label: 'devices.pool', options: devicePools.map((p) => ({ value: p, label: `devices.pools.${p}` })) },
    { param: 'siteId', label: 'devices.campus', options: 'sites' },
  ],
});

const person = column<Person>;
export const peopleList = listOf<Person>({
  path: 'people',
  resource: 'people',
  title: 'people.title',
  searchHint: 'people.searchHint',
  permission: 'people:read',
  actions: PeopleListActions,
  defaultSort: { sort: 'familyName', order: 'asc' },
  columns: [
    person('familyName', 'people.familyName', { sort: 'familyName', render: (r) => personLink(r.id, r.familyName) }),
    person('givenName', 'people.givenName', { sort: 'givenName' }),
    person('studentNumber', 'people.studentNumber'),
    person('grade', 'people.grade'),
    person('role', 'people.role', { render: (r, c) => translated(c, 'people.roles', r.role) }),
    person('siteId', 'people.campus', { render: (r, c) => c.siteName(r.siteId) }),
    person('agreementAcceptedAt', 'people.agreement', {
      render: (r, c) =>
        r.agreementAcceptedAt
          ? c.t('people.accepted', { date: formatDate(c.language, r.agreementAcceptedAt, c.zones.ofSite(r.siteId)) })
          : c.t('people.notAccepted'),
    }),
    person('privacy', 'privacy.column', {
      needs: ['privacy:export', 'privacy:erase'],
      render: (r) => <PersonPrivacy person={r} />,
    }),
  ],
  filters: [
    { param: 'role', label: 'people.role', options: personRoles.map((r) => ({ value: r, label: `people.roles.${r}` })) },
    { param: 'siteId', label: 'people.campus', options: 'sites' },
  ],
});

const loan = column<Loan>;
export const loansList = listOf<Loan>({
  path: 'loans',
  resource: 'loans',
  title: 'loans.title',
  searchHint: 'loans.searchHint',
  permission: 'fleet:read',
  views: [
    { key: 'active', label: 'loans.views.active', params: { status: 'active' } },
    { key: 'overdue', label: 'loans.views.overdue', params: { status: 'overdue' } },
    { key: 'all', label: 'loans.views.all', params: { status: 'history' } },
  ],
  // Newest first: history opened on last year's loans before.
  defaultSort: { sort: 'createdAt', order: 'desc' },
  columns: [
    loan('assetTag', 'loans.device', { render: (r) => deviceLink(r.deviceId, r.assetTag) }),
    // Null without people:read.
    loan('personName', 'loans.person', { render: (r) => personLink(r.personId, r.personName) }),
    loan('reason', 'loans.reason', { render: (r, c) => translated(c, 'loans.reasons', r.reason) }),
    loan('status', 'loans.status', {
      sort: 'status',
      render: (r, c) => (
        <Badge variant="filled" color={r.overdue ? 'red.9' : r.status === 'active' ? 'blue.9' : 'gray.8'}>
          {r.overdue ? c.t('loans.statuses.overdue') : translated(c, 'loans.statuses', r.status)}
        </Badge>
      ),
    }),
    loan('stationId', 'loans.station', { render: (r, c) => c.stationName(r.stationId) }),
    loan('createdAt', 'loans.started', {
      sort: 'createdAt',
      render: (r, c) => when(c, r.startedAt ?? r.createdAt, c.zones.ofSite(r.siteId)),
    }),
    loan('dueAt', 'loans.due', { sort: 'dueAt', render: (r, c) => when(c, r.dueAt, c.zones.ofSite(r.siteId)) }),
    loan('endedAt', 'loans.ended', { render: (r, c) => when(c, r.endedAt, c.zones.ofSite(r.siteId)) }),
    // A swap's loaner opens the ticket of the device left for it (swap → ticket → loaner → pickup).
    loan('repairAssetTag', 'loans.forRepair', {
      render: (r) =>
        r.repairTicketId ? <PageLink to={`/repairs/${encodeURIComponent(r.repairTicketId)}`}>{r.repairAssetTag}</PageLink> : '—',
    }),
  ],
  filters: [
    { param: 'siteId', label: 'devices.campus', options: 'sites' },
    { param: 'stationId', label: 'loans.station', options: 'stations' },
  ],
});

const ticket = column<RepairTicket>;
export const repairsList = listOf<RepairTicket>({
  path: 'repairs',
  resource: 'repair-tickets',
  title: 'repairs.title',
  searchHint: 'repairs.searchHint',
  permission: 'fleet:read',
  // Open tickets, newest first: it opened on October's closed tickets before.
  views: [
    { key: 'open', label: 'repairs.views.open', params: { status: 'open' } },
    { key: 'all', label: 'repairs.views.all', params: {} },
  ],
  defaultSort: { sort: 'reportedAt', order: 'desc' },
  columns: [
    ticket('assetTag', 'repairs.device', { render: (r) => deviceLink(r.deviceId, r.assetTag) }),
    ticket('personName', 'repairs.person', { render: (r) => personLink(r.personId, r.personName) }),
    ticket('symptom', 'repairs.symptom', { render: (r, c) => translated(c, 'repairs.symptoms', r.symptom) }),
    // The status opens the ticket's page (its steps, work, photos, swap → loaner → pickup).
    ticket('status', 'repairs.status', {
      sort: 'status',
      render: (r, c) => (
        <PageLink to={`/repairs/${encodeURIComponent(r.id)}`}>{translated(c, 'repairs.statuses', r.status)}</PageLink>
      ),
    }),
    ticket('loanerAssetTag', 'repairs.loaner', {
      render: (r, c) =>
        r.loanerDeviceId
          ? deviceLink(
              r.loanerDeviceId,
              r.loanerEndedAt === null ? r.loanerAssetTag! : c.t('repairs.loanerBack', { assetTag: r.loanerAssetTag }),
            )
          : '—',
    }),
    ticket('stationId', 'repairs.station', { render: (r, c) => c.stationName(r.stationId) }),
    ticket('reportedAt', 'repairs.opened', {
      sort: 'reportedAt',
      render: (r, c) => when(c, r.reportedAt, c.zones.ofStation(r.reportedStationId ?? r.stationId)),
    }),
  ],
  filters: [
    {
      param: 'status',
      label: 'repairs.status',
      views: ['all'],
      options: repairStatuses.map((s) => ({ value: s, label: `repairs.statuses.${s}` })),
    },
    { param: 'siteId', label: 'devices.campus', options: 'sites' },
  ],
});

const event = column<AuditEvent>;
export const auditList = listOf<AuditEvent>({
  path: 'audit',
  resource: 'audit-events',
  title: 'audit.title',
  searchHint: 'audit.searchHint',
  permission: 'audit:read',
  rowKey: 'seq',
  columns: [
    event('at', 'audit.at', { render: (r, c) => <span className="nowrap">{when(c, r.at, r.timeZone)}</span> }),
    event('sentence', 'audit.what', { render: (r, c) => <AuditWhat event={r} ctx={c} /> }),
    event('stationId', 'audit.station', { render: (r) => r.names.station ?? '—' }),
    event('action', 'audit.action', { render: (r) => <code className="audit-action">{r.action}</code> }),
  ],
  filters: [
    {
      param: 'actorType',
      label: 'audit.actor',
      options: auditActorTypes.map((a) => ({ value: a, label: `audit.actorTypes.${a}` })),
    },
    { param: 'stationId', label: 'audit.station', options: 'stations' },
  ],
});

/** The sentence, opening the person or device it is about when the reader may see them. */
function AuditWhat({ event, ctx }: { event: AuditEvent; ctx: RenderContext }) {
  const sentence = <span data-sentence>{auditSentence(ctx.t, event)}</span>;
  const personId =
    event.entityType === 'person' ? event.entityId : typeof event.data.personId === 'string' ? event.data.personId : null;
  const deviceId = typeof event.data.deviceId === 'string' ? event.data.deviceId : null;
  if (personId && event.names.subject)
    return (
      <Anchor component={Link} to={`/people/${encodeURIComponent(personId)}`} c="blue.9">
        {sentence}
      </Anchor>
    );
  if (deviceId && event.names.device)
    return (
      <Anchor component={Link} to={`/devices/${encodeURIComponent(deviceId)}`} c="blue.9">
        {sentence}
      </Anchor>
    );
  return sentence;
}

export const listPages = [devicesList, peopleList, loansList, repairsList, auditList];
