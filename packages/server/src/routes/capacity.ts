import { CapacityQuery, CapacityReport } from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { errorResponses } from '../problems.js';
import { capacityReport } from '../services/capacity.js';
import type { Services } from '../services/deps.js';
import { security, typed } from './typed.js';

/** The capacity plan (docs/analytics.md, docs/dashboard-api.md "Capacity"). */
export function registerCapacityRoutes(app: FastifyInstance, services: Services): void {
  typed(app).get(
    '/api/v1/capacity',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags: ['analytics'],
        summary:
          'Per campus: the loaners its history says it needs at the service level (day loans from daily peaks, swap loaners by Erlang B), against what it holds; district-wide, the moves of spares between campuses',
        security,
        querystring: CapacityQuery,
        response: { 200: CapacityReport, ...errorResponses },
      },
    },
    async (request) => capacityReport(services.cubby.db, principalOf(request), request.query),
  );
}
