import {
  Compartment,
  CompartmentParams,
  IdParams,
  Overview,
  OverviewCampus,
  RemoteOpen,
  RemoteOpenAccepted,
  ServiceChange,
  StationGrid,
} from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses, errorResponses } from '../problems.js';
import { openCompartmentRemotely, setOutOfService } from '../services/compartment-operations.js';
import type { Services } from '../services/deps.js';
import { campusOverview, fleetOverview, stationGridView } from '../services/station-grid.js';
import { security, typed } from './typed.js';

/** The fleet views and what a technician does to a compartment from the dashboard. */
export function registerFleetRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  api.get(
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

  api.get(
    '/api/v1/sites/:id/overview',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags: ['fleet'],
        summary: "One campus's counts and stations (404 outside the caller's campuses)",
        security,
        params: IdParams,
        response: { 200: OverviewCampus, ...errorResponses },
      },
    },
    async (request) => campusOverview(services, principalOf(request), request.params.id),
  );

  api.get(
    '/api/v1/stations/:id/grid',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags: ['fleet'],
        summary: "A station's bank as its grid of compartments",
        security,
        params: IdParams,
        response: { 200: StationGrid, ...errorResponses },
      },
    },
    async (request) => stationGridView(services, principalOf(request), request.params.id),
  );

  api.post(
    '/api/v1/stations/:id/compartments/:number/open',
    {
      config: { access: 'station:operate' },
      schema: {
        tags: ['fleet'],
        summary: 'Open a door remotely (audited with who and why)',
        security,
        params: CompartmentParams,
        body: RemoteOpen,
        response: { 202: RemoteOpenAccepted, ...changeResponses },
      },
    },
    async (request, reply) => {
      const { id, number } = request.params;
      const result = await openCompartmentRemotely(services, principalOf(request), id, number, request.body.reason);
      return reply.status(202).send(result);
    },
  );

  api.put(
    '/api/v1/compartments/:id/service',
    {
      config: { access: 'station:operate' },
      schema: {
        tags: ['fleet'],
        summary: 'Take a compartment out of service or return it',
        security,
        params: IdParams,
        body: ServiceChange,
        response: { 200: Compartment, ...changeResponses },
      },
    },
    async (request) =>
      setOutOfService(services, principalOf(request), request.params.id, request.body.outOfService, request.body.reason),
  );
}
