import { isDatabaseReachable, type Executor } from '@cubby/db';
import { problemType } from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';

/** Liveness: the process answers. Readiness: the database answers too. */
export function registerHealthRoutes(app: FastifyInstance, db: Executor): void {
  app.get('/healthz', { schema: { tags: ['health'], summary: 'The process is alive' } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { tags: ['health'], summary: 'The server can reach its database' } }, async (_request, reply) => {
    if (await isDatabaseReachable(db)) return { status: 'ready' };
    return reply
      .status(503)
      .type('application/problem+json')
      .send({ type: problemType('not_ready'), title: 'Database unavailable', status: 503, code: 'not_ready' });
  });
}
