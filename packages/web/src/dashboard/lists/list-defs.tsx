import { Badge } from '@mantine/core';
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

const deviceStatuses = [
  'available',
  'on_loan',
  'charging',
  'awaiting_collection',
  'in_repair',
  'ready_for_pickup',
  'in_service',
  'lost',
  'retired',
];
const repairStatuses = [
  'reported',
  'awaiting_collection',
  'collected',
  'in_repair',
  'repaired',
  'ready_for_pickup',
  'closed',
  'retired',
];

/** A person's name from whichever fields the list gives (nothing without people:read). */
function personName(row: Row): string {
  const name = row.person_name ?? row.holder_name ?? row.personName;
  if (typeof name === 'string') return name;
  if (typeof row.given_name === 'string') return `${row.given_name} ${String(row.family_name ?? '')}`.trim();
  return '—';
}

export const devicesList: ListDef = {
  path: 'devices',
  resource: 'devices',
  title: 'devices.title',
  searchHint: 'devices.searchHint',
  permission: 'fleet:read',
  columns: [
    column('asset_tag', 'devices.assetTag', {
      sort: 'asset_tag',
      render: (r) => <span className="nowrap">{text(r.asset_tag)}</span>,
    }),
    column('serial', 'devices.serial'),
    column('model', 'devices.model', { sort: 'model' }),
    column('pool', 'devices.pool', { render: (r, c) => translated('devices.pools')(r, c, 'pool') }),
    column('status', 'devices.status', { sort: 'status', render: (r, c) => translated('devices.statuses')(r, c, 'status') }),
    column('battery_percent', 'devices.battery', {
      sort: 'battery_percent',
      align: 'right',
      render: (r) => (r.battery_percent == null ? '—' : `${String(r.battery_percent)}%`),
    }),
    column('loan_count', 'devices.loans', { sort: 'loan_count', align: 'right' }),
    column('last_loaned_at', 'devices.lastLoaned', { render: when('last_loaned_at') }),
    column('site_id', 'devices.campus', { render: (r, c) => c.siteName(r.site_id) }),
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
      options: [
        { value: 'loaner', label: 'devices.pools.loaner' },
        { value: 'assigned', label: 'devices.pools.assigned' },
      ],
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
    column('family_name', 'people.familyName', { sort: 'family_name' }),
    column('given_name', 'people.givenName', { sort: 'given_name' }),
    column('student_number', 'people.studentNumber'),
    column('grade', 'people.grade'),
    column('role', 'people.role', { render: (r, c) => translated('people.roles')(r, c, 'role') }),
    column('site_id', 'people.campus', { render: (r, c) => c.siteName(r.site_id) }),
    column('agreement_accepted_at', 'people.agreement', {
      render: (r, c) =>
        r.agreement_accepted_at
          ? c.t('people.accepted', { date: formatDate(c.language, r.agreement_accepted_at as number) })
          : c.t('people.notAccepted'),
    }),
  ],
  filters: [
    {
      param: 'role',
      label: 'people.role',
      options: ['student', 'staff', 'technician', 'admin'].map((r) => ({ value: r, label: `people.roles.${r}` })),
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
    column('asset_tag', 'loans.device', { render: (r) => <span className="nowrap">{text(r.asset_tag ?? r.device_id)}</span> }),
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
    column('station_id', 'loans.station', { render: (r, c) => c.stationName(r.station_id) }),
    column('created_at', 'loans.started', {
      sort: 'created_at',
      render: (r, c) => formatDateTime(c.language, (r.started_at ?? r.created_at) as number),
    }),
    column('due_at', 'loans.due', { sort: 'due_at', render: when('due_at') }),
    column('ended_at', 'loans.ended', { render: when('ended_at') }),
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
    column('asset_tag', 'repairs.device', { render: (r) => <span className="nowrap">{text(r.asset_tag ?? r.device_id)}</span> }),
    column('person', 'repairs.person', { render: personName }),
    column('symptom', 'repairs.symptom', { render: (r, c) => translated('repairs.symptoms')(r, c, 'symptom') }),
    column('status', 'repairs.status', { sort: 'status', render: (r, c) => translated('repairs.statuses')(r, c, 'status') }),
    column('station_id', 'repairs.station', { render: (r, c) => c.stationName(r.station_id) }),
    column('reported_at', 'repairs.opened', { sort: 'reported_at', render: when('reported_at') }),
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
        const type = c.t(`audit.actorTypes.${String(r.actor_type)}`, { defaultValue: String(r.actor_type) });
        const name = r.actor_name ?? r.actor_id;
        return name ? `${type}: ${String(name)}` : type;
      },
    }),
    column('action', 'audit.action', { render: (r) => <code>{text(r.action)}</code> }),
    column('entity', 'audit.entity', { render: (r) => `${text(r.entity_type)} ${text(r.entity_id).slice(0, 12)}` }),
    column('station_id', 'audit.station', { render: (r, c) => c.stationName(r.station_id) }),
    column('data', 'audit.details', {
      render: (r) => <code className="audit-data">{r.data ? JSON.stringify(r.data).slice(0, 120) : '—'}</code>,
    }),
  ],
  filters: [
    {
      param: 'actorType',
      label: 'audit.actor',
      options: ['user', 'person', 'station', 'system'].map((a) => ({ value: a, label: `audit.actorTypes.${a}` })),
    },
    { param: 'stationId', label: 'audit.station', options: 'stations' },
  ],
};

export const listPages: ListDef[] = [devicesList, peopleList, loansList, repairsList, auditList];
