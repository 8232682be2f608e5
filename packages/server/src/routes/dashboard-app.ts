import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `npm run build` puts the dashboard (packages/web/dist/dashboard). */
export const builtDashboardDir = fileURLToPath(new URL('../../../web/dist/dashboard', import.meta.url));

const notBuilt = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Cubby dashboard</title>
<main><h1>The dashboard is not built</h1><p>Run <code>npm run build</code> (or <code>npm start</code>) and reload.</p></main></html>`;

/**
 * The admin dashboard at /dashboard/: its hashed assets cached for good, and
 * index.html (never cached) for every other path under it, so the app's own
 * routes (/dashboard/devices, /dashboard/stations/…) survive a reload. `/`
 * leads there too. The app holds no data; it calls /api/v1 with the session.
 */
export async function registerDashboardApp(app: FastifyInstance, dir = builtDashboardDir): Promise<void> {
  await app.register(fastifyStatic, { root: dir, serve: false, decorateReply: true });
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/dashboard/'));
  app.get<{ Params: { '*': string } }>('/dashboard/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.params['*'];
    if (!existsSync(join(dir, 'index.html'))) return reply.code(503).type('text/html; charset=utf-8').send(notBuilt);
    if (path.startsWith('assets/')) {
      // A file name with its content hash never changes; a missing one is a 404, not the app.
      if (path.includes('..') || !existsSync(join(dir, path))) return reply.callNotFound();
      return reply.header('cache-control', 'public, max-age=31536000, immutable').sendFile(path, { cacheControl: false });
    }
    return reply
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .sendFile('index.html', { cacheControl: false });
  });
}
