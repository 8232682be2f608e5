import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

const page = readFileSync(new URL('../admin/status-page.html', import.meta.url), 'utf8');

/**
 * A plain live page of stations and compartments, until the admin dashboard
 * lands. It holds no data itself: it asks for an API token and reads the API.
 */
export function registerAdminPage(app: FastifyInstance): void {
  app.get('/admin', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page),
  );
}
