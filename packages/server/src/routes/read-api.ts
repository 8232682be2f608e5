import { Type, type Static, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import {
  listAuditEvents,
  listCompartments,
  listDevices,
  listLoans,
  listPeople,
  listSites,
  listStations,
  type Executor,
} from '@cubby/db';
import type { FastifyInstance } from 'fastify';
import type { Access } from '../auth/guard.js';
import { AuditEvent, Compartment, Device, errorResponses, Loan, pageOf, PageQuery, Person, Site, Station } from './schemas.js';

const Status = (values: string[]) => Type.Optional(Type.Union(values.map((v) => Type.Literal(v))));

/**
 * Paged, filtered read endpoints. Each declares its query and response
 * schema once; the OpenAPI document is generated from them.
 */
export function registerReadRoutes(app: FastifyInstance, db: Executor): void {
  list(app, '/api/v1/sites', 'sites', 'Campuses', Site, { districtId: Type.Optional(Type.String()) }, (q) => listSites(db, q));
  list(app, '/api/v1/stations', 'stations', 'Locker stations', Station, { siteId: Type.Optional(Type.String()) }, (q) => listStations(db, q));
  list(
    app, '/api/v1/compartments', 'compartments', 'Compartments (doors) of the stations', Compartment,
    { stationId: Type.Optional(Type.String()), status: Status(['empty', 'loaded', 'reserved', 'open', 'out_of_service']) },
    (q) => listCompartments(db, q),
  );
  list(
    app, '/api/v1/devices', 'devices', 'Devices (loaners and assigned)', Device,
    {
      status: Status(['in_service', 'available', 'on_loan', 'charging', 'awaiting_collection', 'in_repair', 'ready_for_pickup', 'lost', 'retired']),
      pool: Status(['assigned', 'loaner']),
      siteId: Type.Optional(Type.String()),
      assetTag: Type.Optional(Type.String({ maxLength: 64 })),
    },
    (q) => listDevices(db, q),
  );
  list(
    app, '/api/v1/people', 'people', 'Students and staff (never badge or PIN data)', Person,
    { role: Status(['student', 'staff', 'technician', 'admin']), siteId: Type.Optional(Type.String()), studentNumber: Type.Optional(Type.String({ maxLength: 32 })) },
    (q) => listPeople(db, q),
    'people:read',
  );
  list(
    app, '/api/v1/loans', 'loans', 'Loans', Loan,
    {
      status: Status(['pending', 'active', 'overdue', 'returned', 'lost', 'cancelled']),
      personId: Type.Optional(Type.String()), deviceId: Type.Optional(Type.String()), stationId: Type.Optional(Type.String()),
    },
    (q) => listLoans(db, q),
  );
  list(
    app, '/api/v1/audit-events', 'audit', 'Audit log, newest first (cursor is a sequence number)', AuditEvent,
    {
      // This list pages by sequence number, so its cursor is digits only.
      cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
      entityType: Type.Optional(Type.String()), entityId: Type.Optional(Type.String()), action: Type.Optional(Type.String()),
      transactionId: Type.Optional(Type.String()), stationId: Type.Optional(Type.String()),
    },
    (q) => listAuditEvents(db, q),
    'audit:read',
  );
}

function list<F extends TProperties>(
  app: FastifyInstance,
  url: string,
  tag: string,
  summary: string,
  item: TSchema,
  filters: F,
  load: (query: Static<TObject<F>> & { limit: number; cursor?: string }) => Promise<unknown>,
  access: Access = 'fleet:read',
): void {
  const querystring = Type.Object({ ...PageQuery, ...filters }, { additionalProperties: false });
  app.get<{ Querystring: Static<TObject<F>> & { limit: number; cursor?: string } }>(
    url,
    { config: { access }, schema: { tags: [tag], summary, security: [{ bearer: [] }], querystring, response: { 200: pageOf(item), ...errorResponses } } },
    async (request) => load(request.query as Static<TObject<F>> & { limit: number; cursor?: string }),
  );
}
