import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import {
  compartmentStatuses,
  devicePools,
  deviceStatuses,
  loanStatuses,
  personRoles,
  repairStatuses,
  type Principal,
} from '@cubby/core';
import {
  compartmentSorts,
  deviceSorts,
  everyRow,
  listCompartments,
  listDevices,
  listLoans,
  listPeople,
  listRepairTickets,
  listSites,
  listStations,
  loanSorts,
  personSorts,
  repairSorts,
  siteSorts,
  stationSorts,
  type Executor,
  type ListArgs,
} from '@cubby/db';
import {
  AuditEvent,
  auditActorTypes,
  Compartment,
  Device,
  Loan,
  loanViews,
  OneOf,
  PageOf,
  Person,
  RepairTicket,
  repairViews,
  Site,
  Station,
  TextInteger,
  type Page,
} from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf, type Access } from '../auth/guard.js';
import { errorResponses } from '../problems.js';
import { listAuditLog } from '../services/audit/audit-log.js';
import { csvColumns, type CsvColumn } from '../services/exports/csv-columns.js';
import { loadPlaces } from '../services/exports/places.js';
import { sendCsv, wantsCsv } from './csv.js';
import { security, typed, type TypedApp } from './typed.js';

const Filter = <const T extends readonly string[]>(values: T) => Type.Optional(OneOf(values));
const Id = Type.Optional(Type.String({ maxLength: 64 }));
const Flag = Type.Optional(Type.Boolean());

/**
 * Paged, filtered, searchable, sortable read endpoints, each also a CSV
 * export (`format=csv`). Each declares its query and item schema once (items
 * from @cubby/protocol/api, camelCase); the OpenAPI document is generated from
 * them. Every list is limited to the caller's campuses.
 */
export function registerReadRoutes(app: FastifyInstance, db: Executor): void {
  const api = typed(app);
  list(api, db, {
    url: '/api/v1/sites',
    csv: csvColumns.sites,
    tag: 'sites',
    summary: 'Campuses',
    item: Site,
    sorts: siteSorts,
    search: 'name',
    filters: { districtId: Id },
    load: (q) => listSites(db, q),
  });
  list(api, db, {
    url: '/api/v1/stations',
    csv: csvColumns.stations,
    tag: 'stations',
    summary: 'Locker stations, whether each is online and its offline backlog',
    item: Station,
    sorts: stationSorts,
    search: 'name',
    filters: { siteId: Id, connected: Flag },
    load: (q) => listStations(db, q),
  });
  list(api, db, {
    url: '/api/v1/compartments',
    csv: csvColumns.compartments,
    tag: 'compartments',
    summary: 'Compartments (doors) of the stations',
    item: Compartment,
    sorts: compartmentSorts,
    search: 'asset tag of the device inside, station name',
    filters: { stationId: Id, status: Filter(compartmentStatuses) },
    load: (q) => listCompartments(db, q),
  });
  list(api, db, {
    url: '/api/v1/devices',
    csv: csvColumns.devices,
    tag: 'devices',
    summary: 'Devices (loaners and assigned)',
    item: Device,
    sorts: deviceSorts,
    search: 'asset tag, serial, model',
    filters: {
      status: Filter(deviceStatuses),
      pool: Filter(devicePools),
      siteId: Id,
      stationId: Id,
      assetTag: Type.Optional(Type.String({ maxLength: 64 })),
      ownerId: Id,
      batteryWorn: Type.Optional(Type.Boolean({ description: 'battery no longer lasts a school day (the repair board)' })),
    },
    load: (q, principal) => listDevices(db, { ...q, withNames: principal.permissions.has('people:read') }),
  });
  list(api, db, {
    url: '/api/v1/people',
    csv: csvColumns.people,
    tag: 'people',
    summary: 'Students and staff (never badge or PIN data)',
    item: Person,
    sorts: personSorts,
    search: 'name, student number, external id',
    access: 'people:read',
    filters: {
      role: Filter(personRoles),
      siteId: Id,
      studentNumber: Type.Optional(Type.String({ maxLength: 32 })),
      active: Flag,
    },
    load: (q) => listPeople(db, q),
  });
  list(api, db, {
    url: '/api/v1/loans',
    csv: csvColumns.loans,
    tag: 'loans',
    item: Loan,
    sorts: loanSorts,
    summary: 'Loans. status=active: out now; overdue: out past its due time; history: returned, lost or cancelled',
    search: 'asset tag; with people:read also name and student number',
    filters: {
      status: Filter([...loanViews, ...loanStatuses.filter((s) => s !== 'active' && s !== 'overdue')]),
      personId: Id,
      deviceId: Id,
      stationId: Id,
      siteId: Id,
    },
    load: (q, principal) => listLoans(db, { ...q, withNames: principal.permissions.has('people:read') }),
  });
  list(api, db, {
    url: '/api/v1/repair-tickets',
    csv: csvColumns['repair-tickets'],
    tag: 'repairs',
    item: RepairTicket,
    sorts: repairSorts,
    summary: 'Repair tickets. status=open: neither closed nor retired',
    search: 'asset tag, serial, notes; with people:read also name',
    filters: { status: Filter([...repairViews, ...repairStatuses]), siteId: Id, deviceId: Id, personId: Id },
    load: (q, principal) => listRepairTickets(db, { ...q, withNames: principal.permissions.has('people:read') }),
  });
  list(api, db, {
    url: '/api/v1/audit-events',
    csv: csvColumns['audit-events'],
    tag: 'audit',
    item: AuditEvent,
    sorts: { seq: {} },
    summary:
      'Audit log, newest first unless order=asc, by sequence number; with from or to by time, then sequence number. ' +
      "Campus-limited callers see their stations' events",
    search: 'action, entity id, actor id',
    access: 'audit:read',
    defaultOrder: 'desc',
    filters: {
      // This list pages by sequence number (within a time range by time and sequence number), so its cursor is `seq` or `at-seq`.
      cursor: Type.Optional(Type.String({ pattern: '^([0-9]{1,15}-)?[0-9]{1,15}$' })),
      entityType: Type.Optional(Type.String({ maxLength: 64 })),
      entityId: Id,
      action: Type.Optional(Type.String({ maxLength: 100 })),
      transactionId: Id,
      stationId: Id,
      actorType: Filter(auditActorTypes),
      actorId: Id,
      from: Type.Optional(TextInteger({ minimum: 0, description: 'at or after (epoch ms)' })),
      to: Type.Optional(TextInteger({ minimum: 0, description: 'before (epoch ms)' })),
    },
    load: (q, principal) => listAuditLog(db, principal, q),
  });
}

interface ListRoute<I extends TObject, F extends TProperties> {
  url: string;
  tag: string;
  summary: string;
  item: I;
  /** The sorts the list offers (camelCase, as `sort=` says them); `id` first when offered (the default). */
  sorts: Record<string, unknown>;
  search: string;
  filters: F;
  load: (query: Static<TObject<F>> & ListArgs, principal: Principal) => Promise<Page<Static<I>>>;
  /** The CSV export's columns: readable headers, names for ids, local times. */
  csv: CsvColumn<Static<I>>[];
  access?: Access;
  defaultOrder?: 'asc' | 'desc';
}

const PageQuery = {
  // Optional: the default applies when it is left out (OpenAPI must not call it required).
  limit: Type.Optional(TextInteger({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'opaque, from nextCursor' })),
};

type CommonQuery = ListArgs & { format?: 'json' | 'csv' };

function list<I extends TObject, F extends TProperties>(api: TypedApp, db: Executor, route: ListRoute<I, F>): void {
  const sortNames = Object.keys(route.sorts);
  const querystring = Type.Object(
    {
      ...PageQuery,
      q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: `search: ${route.search}` })),
      sort: Type.Optional(OneOf(sortNames)),
      order: Type.Optional(OneOf(['asc', 'desc'] as const)),
      format: Type.Optional(OneOf(['json', 'csv'] as const)),
      ...route.filters,
    },
    { additionalProperties: false },
  );
  const name = route.url.split('/').at(-1)!;
  api.get(
    route.url,
    {
      config: { access: route.access ?? 'fleet:read' },
      schema: {
        tags: [route.tag],
        summary: route.summary,
        description: `Keyset-paged; sort by ${sortNames.join(', ')}. format=csv (or Accept: text/csv) streams every matching row as CSV.`,
        security,
        querystring,
        response: { 200: PageOf(route.item), ...errorResponses },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      // The filters' own types are F's; the generic querystring cannot carry them to here.
      const { format, ...query } = request.query as unknown as CommonQuery & Static<TObject<F>>;
      const args = { ...query, order: query.order ?? route.defaultOrder, scope: principal.siteIds } as Static<TObject<F>> &
        ListArgs;
      if (wantsCsv(request, format)) {
        // Every matching row: from the start, whatever page the caller was on.
        const rows = everyRow((a) => route.load(a, principal), { ...args, cursor: undefined }, 1000);
        const columns = route.csv;
        const places = await loadPlaces(db, principal);
        async function* cells() {
          for await (const row of rows) yield columns.map((c) => c.cell(row, places));
        }
        return sendCsv(
          reply,
          name,
          cells(),
          columns.map((c) => c.header),
        );
      }
      return route.load(args, principal);
    },
  );
}
