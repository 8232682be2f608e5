import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { openCompartmentRemotely, setOutOfService } from '../services/compartment-operations.js';
import type { Services } from '../services/deps.js';
import { fleetOverview, stationGridView } from '../services/station-grid.js';
import { Compartment, errorResponses, Nullable, Time } from './schemas.js';
import { problemSchema } from '../problems.js';

const Count = Type.Integer({ minimum: 0 });
export const FleetCounts = Type.Object({
  compartments: Count,
  loaded: Count,
  empty: Count,
  outOfService: Count,
  loanersAvailable: Count,
  devicesOut: Count,
  overdue: Count,
  flaggedForRepair: Count,
  openAlerts: Count,
  stationsOnline: Count,
  stationsOffline: Count,
});
const Backlog = Type.Integer({
  minimum: 0,
  description: 'offline journal entries the station reported at its last hello that the server has not applied yet',
});

const Overview = Type.Object({
  generatedAt: Time,
  totals: FleetCounts,
  campuses: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      timeZone: Type.String(),
      totals: FleetCounts,
      stations: Type.Array(
        Type.Object({
          id: Type.String(),
          name: Type.String(),
          connected: Type.Boolean(),
          lastSeenAt: Nullable(Time),
          backlog: Backlog,
          counts: FleetCounts,
        }),
      ),
    }),
  ),
});

const Grid = Type.Object({
  station: Type.Object({
    id: Type.String(),
    name: Type.String(),
    siteId: Type.String(),
    siteName: Type.String(),
    connected: Type.Boolean(),
    lastSeenAt: Nullable(Time),
    backlog: Backlog,
  }),
  columns: Type.Integer({ minimum: 1 }),
  rows: Type.Integer({ minimum: 1 }),
  compartments: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.Integer(),
      row: Type.Integer({ minimum: 1 }),
      column: Type.Integer({ minimum: 1 }),
      status: Type.String(),
      door: Type.String(),
      presence: Type.Boolean(),
      charging: Type.Boolean(),
      hasCharger: Type.Boolean(),
      device: Nullable(
        Type.Object({
          id: Type.String(),
          assetTag: Type.String(),
          model: Type.String(),
          pool: Type.String(),
          status: Type.String(),
          batteryPercent: Type.Integer(),
        }),
      ),
      holder: Nullable(
        Type.Object(
          { personId: Type.String(), name: Type.String(), since: Nullable(Time), dueAt: Nullable(Time) },
          {
            description:
              'who has what is behind the door: a kiosk visit using it, a device charging in it, a repaired device waiting for its owner, or a loaner taken from it; null without people:read',
          },
        ),
      ),
      alert: Nullable(Type.String({ description: 'kind of the oldest open alert' })),
    }),
  ),
});

const StationParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const Reason = Type.String({ minLength: 3, maxLength: 200 });
const withConflict = { ...errorResponses, 409: problemSchema };

/** The fleet views and what a technician does to a compartment from the dashboard. */
export function registerFleetRoutes(app: FastifyInstance, services: Services): void {
  const security = [{ bearer: [] }];
  app.get(
    '/api/v1/overview',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags: ['fleet'],
        summary: 'Counts per campus and station',
        security,
        response: { 200: Overview, ...errorResponses },
      },
    },
    async (request) => fleetOverview(services, principalOf(request)),
  );

  app.get<{ Params: { id: string } }>(
    '/api/v1/stations/:id/grid',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags: ['fleet'],
        summary: "A station's bank as its grid of compartments",
        security,
        params: StationParams,
        response: { 200: Grid, ...errorResponses },
      },
    },
    async (request) => stationGridView(services, principalOf(request), request.params.id),
  );

  app.post<{ Params: { id: string; number: number }; Body: { reason: string } }>(
    '/api/v1/stations/:id/compartments/:number/open',
    {
      config: { access: 'station:operate' },
      schema: {
        tags: ['fleet'],
        summary: 'Open a door remotely (audited with who and why)',
        security,
        params: Type.Object({ id: Type.String({ maxLength: 64 }), number: Type.Integer({ minimum: 1, maximum: 999 }) }),
        body: Type.Object({ reason: Reason }, { additionalProperties: false }),
        response: { 202: Type.Object({ commandId: Type.String() }), ...withConflict },
      },
    },
    async (request, reply) => {
      const result = await openCompartmentRemotely(
        services,
        principalOf(request),
        request.params.id,
        request.params.number,
        request.body.reason,
      );
      return reply.status(202).send(result);
    },
  );

  app.put<{ Params: { id: string }; Body: { outOfService: boolean; reason: string } }>(
    '/api/v1/compartments/:id/service',
    {
      config: { access: 'station:operate' },
      schema: {
        tags: ['fleet'],
        summary: 'Take a compartment out of service or return it',
        security,
        params: StationParams,
        body: Type.Object({ outOfService: Type.Boolean(), reason: Reason }, { additionalProperties: false }),
        response: { 200: Compartment, ...withConflict },
      },
    },
    async (request) =>
      setOutOfService(services, principalOf(request), request.params.id, request.body.outOfService, request.body.reason),
  );
}
