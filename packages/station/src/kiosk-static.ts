import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyInstance } from 'fastify';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

/**
 * Serves the built kiosk web app from `dir` (the app itself arrives in a later
 * issue). Paths that are not files fall back to index.html, so the app's own
 * routes survive a reload; nothing outside `dir` is ever read.
 */
export function serveKioskAssets(app: FastifyInstance, dir: string): void {
  const root = resolve(dir);
  app.get('/*', async (request, reply) => {
    const path = decodePath(request.url);
    if (path === undefined || path.startsWith('/api/')) return reply.callNotFound();
    const wanted = resolve(root, `.${path}`);
    if (wanted !== root && !wanted.startsWith(root + sep)) return reply.callNotFound();
    const file = (await isFile(wanted)) ? wanted : resolve(root, 'index.html');
    if (!(await isFile(file))) return reply.callNotFound();
    return reply.type(contentTypes[extname(file)] ?? 'application/octet-stream').send(createReadStream(file));
  });
}

function decodePath(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url, 'http://kiosk').pathname);
  } catch {
    return undefined;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
