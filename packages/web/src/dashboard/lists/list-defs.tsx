import { Badge } from '@mantine/core';
import type { DevicePool, DeviceStatus, PersonRole, RepairStatus } from '@cubby/core';
import type { AuditActorType } from '@cubby/protocol/api';
import type { Row } from '../types.js';
import { formatDate, formatDateTime } from '../ui/format.js';
import type { ColumnDef, ListDef, RenderContext } from './list-def.js';

const text = (value: unknown) => (value === null || value === undefined || value === '' ? '—' : String(value));
const translated = (prefix: string) => (row: Row, ctx: RenderContext, key: string) =>
  row[key] == null ? '—' : ctx.t(`${prefix}.${String(row[key])}`, { defaultValue: String(row[key]) });
const when = (key: string) => (row: Row, ctx: RenderContext) => formatDateTime(ctx.language, row[key] as number | null);

function column(key: string, label: string, options: Partial<ColumnDef> = {}): ColumnDef {
  return { key, label, ...options };
}

/**
 * Every value of one of core's enumerations, checked by the compiler (the web
 * imports only types from core): a new status breaks the build here until it
 * is offered.
 */
function every<T extends string>(values: Record<T, true>): T[] {
  return Object.keys(values) as T[];
}

const deviceStatuses = every<DeviceStatus>({
  available: true,
  on_loan: true,
  charging: true,
  awaiting_collection: true,
  in_repair: true,
  ready_for_pickup: true,
  in_service: true,
  lost: true,
  retired: true,
});
const devicePools = every<DevicePool>({ loaner: true, assigned: true });
const personRoles = every<PersonRole>({ student: true, staff: true, technician: true, admin: true });
const repairStatuses = every<RepairStatus>({
  reported: true,
  awaiting_collection: true,
  collected: true,
  in_repair: true,
  repaired: true,
  ready_for_pickup: true,
  closed: true,
  retired: true,
});
const auditActorTypes = every<AuditActorType>({ user: true, person: true, station: true, system: true });

/** The person's name a loan or ticket carries (null without people:read). */
const personName = (row: Row) => text(row.personName);

export const devicesList: ListDef = {
  path: 'devices',
  resource: 'devices',
  title: 'devices.title',
  searchHint: 'devices.searchHint',
  permission: 'fleet:read',
  columns: [
    column('assetTag', 'devices.assetTag', {
      sort: 'assetTag',
      render: (r) => <span className="nowrap">{text(r.assetTag)}</span>,
    }),
    column('serial', 'devices.serial'),
    column('model', 'devices.model', { sort: 'model' }),
    column('pool', 'devices.pool', { render: (r, c) => translated('devices.pools')(r, c, 'pool') }),
    column('status', 'devices.status', { sort: 'status', render: (r, c) => translated('devices.statuses')(r, c, 'status') }),
    column('batteryPercent', 'devices.battery', {
      sort: 'batteryPercent',
      align: 'right',
      render: (r) => (r.batteryPercent == null ? '—' : `${String(r.batteryPercent)}%`),
    }),
    column('loanCount', 'devices.loans', { sort: 'loanCount', align: 'right' }),
    column('lastLoanedAt', 'devices.lastLoaned', { render: when('lastLoanedAt') }),
    column('siteId', 'devices.campus', { render: (r, c) => c.siteName(r.siteId) }),
  ],
  filters: [
    {
      param: 'status',
      label: 'devices.status',
      options: deviceStatuses.map((s) => ({ value: s, label: `devices.statuses.${s}` })),
    },
    {
      param: 'pool',
      label: 'devices.pool',
      options: devicePools.map((p) => ({ value: p, label: `devices.pools.${p}` })),
    },
    { param: 'siteId', label: 'devices.campus', options: 'sites' },
  ],
};

export const peopleList: ListDef = {
  path: 'people',
  resource: 'people',
  title: 'people.title',
  searchHint: 'people.searchHint',
  permission: 'people:read',
  columns: [
    column('familyName', 'people.familyName', { sort: 'familyName' }),
    column('givenName', 'people.givenName', { sort: 'givenName' }),
    column('studentNumber', 'people.studentNumber'),
    column('grade', 'people.grade'),
    column('role', 'people.role', { render: (r, c) => translated('people.roles')(r, c, 'role') }),
    column('siteId', 'people.campus', { render: (r, c) => c.siteName(r.siteId) }),
    column('agreementAcceptedAt', 'people.agreement', {
      render: (r, c) =>
        r.agreementAcceptedAt
          ? c.t('people.accepted', { date: formatDate(c.language, r.agreementAcceptedAt as number) })
          : c.t('people.notAccepted'),
    }),
  ],
  filters: [
    {
      param: 'role',
      label: 'people.role',
      options: personRoles.map((r) => ({ value: r, label: `people.roles.${r}` })),
    },
    { param: 'siteId', label: 'people.campus', options: 'sites' },
  ],
};

export const loansList: ListDef = {
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
  columns: [
    column('assetTag', 'loans.device', { render: (r) => <span className="nowrap">{text(r.assetTag)}</span> }),
    column('person', 'loans.person', { render: personName }),
    column('reason', 'loans.reason', { render: (r, c) => translated('loans.reasons')(r, c, 'reason') }),
    column('status', 'loans.status', {
      sort: 'status',
      render: (r, c) => (
        <Badge variant="filled" color={r.overdue ? 'red.9' : r.status === 'active' ? 'blue.9' : 'gray.8'}>
          {r.overdue ? c.t('loans.statuses.overdue') : translated('loans.statuses')(r, c, 'status')}
        </Badge>
      ),
    }),
    column('stationId', 'loans.station', { render: (r, c) => c.stationName(r.stationId) }),
    column('createdAt', 'loans.started', {
      sort: 'createdAt',
      render: (r, c) => formatDateTime(c.language, (r.startedAt ?? r.createdAt) as number),
    }),
    column('dueAt', 'loans.due', { sort: 'dueAt', render: when('dueAt') }),
    column('endedAt', 'loans.ended', { render: when('endedAt') }),
  ],
  filters: [
    { param: 'siteId', label: 'devices.campus', options: 'sites' },
    { param: 'stationId', label: 'loans.station', options: 'stations' },
  ],
};

export const repairsList: ListDef = {
  path: 'repairs',
  resource: 'repair-tickets',
  title: 'repairs.title',
  searchHint: 'repairs.searchHint',
  permission: 'fleet:read',
  columns: [
    column('assetTag', 'repairs.device', { render: (r) => <span className="nowrap">{text(r.assetTag)}</span> }),
    column('person', 'repairs.person', { render: personName }),
    column('symptom', 'repairs.symptom', { render: (r, c) => translated('repairs.symptoms')(r, c, 'symptom') }),
    column('status', 'repairs.status', { sort: 'status', render: (r, c) => translated('repairs.statuses')(r, c, 'status') }),
    column('stationId', 'repairs.station', { render: (r, c) => c.stationName(r.stationId) }),
    column('reportedAt', 'repairs.opened', { sort: 'reportedAt', render: when('reportedAt') }),
  ],
  filters: [
    {
      param: 'status',
      label: 'repairs.status',
      options: ['open', ...repairStatuses].map((s) => ({ value: s, label: `repairs.statuses.${s}` })),
    },
    { param: 'siteId', label: 'devices.campus', options: 'sites' },
  ],
};

export const auditList: ListDef = {
  path: 'audit',
  resource: 'audit-events',
  title: 'audit.title',
  searchHint: 'audit.searchHint',
  permission: 'audit:read',
  rowKey: 'seq',
  columns: [
    column('at', 'audit.at', { render: when('at') }),
    column('actor', 'audit.actor', {
      render: (r, c) => {
        const type = c.t(`audit.actorTypes.${String(r.actorType)}`, { defaultValue: String(r.actorType) });
        const name = r.actorId;
        return name ? `${type}: ${String(name)}` : type;
      },
    }),
    column('action', 'audit.action', { render: (r) => <code>{text(r.action)}</code> }),
    column('entity', 'audit.entity', { render: (r) => `${text(r.entityType)} ${text(r.entityId).slice(0, 12)}` }),
    column('stationId', 'audit.station', { render: (r, c) => c.stationName(r.stationId) }),
    column('data', 'audit.details', {
      render: (r) => <code className="audit-data">{r.data ? JSON.stringify(r.data).slice(0, 120) : '—'}</code>,
    }),
  ],
  filters: [
    {
      param: 'actorType',
      label: 'audit.actor',
      options: auditActorTypes.map((a) => ({ value: a, label: `audit.actorTypes.${a}` })),
    },
    { param: 'stationId', label: 'audit.station', options: 'stations' },
  ],
};

export const listPages: ListDef[] = [devicesList, peopleList, loansList, repairsList, auditList];
