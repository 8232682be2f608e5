import fastifyStatic from '@fastify/static';
import { extname, resolve } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** The kiosk's own types, with a charset on text, rather than a general MIME table's guess. */
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
 * Serves the built kiosk web app from `dir` through @fastify/static, which
 * refuses any path that would leave `dir`. `/api/` is never a file. Every
 * response carries `max-age=0` with its ETag, so a new kiosk build shows on
 * the next load while an unchanged one costs a 304.
 */
export function serveKioskAssets(app: FastifyInstance, dir: string): void {
  void app.register(fastifyStatic, {
    root: resolve(dir),
    index: ['index.html'],
    cacheControl: true,
    maxAge: 0,
    contentType: false,
    setHeaders: (response, path) => response.setHeader('content-type', contentTypes[extname(path)] ?? 'application/octet-stream'),
    allowedPath: (pathname) => !isApiPath(pathname),
  });
}

/**
 * Paths that are not files fall back to index.html, so the app's own routes
 * survive a reload. Returns false when the request is not one for the app.
 */
export function serveKioskApp(request: FastifyRequest, reply: FastifyReply): boolean {
  if ((request.method !== 'GET' && request.method !== 'HEAD') || isApiPath(request.url)) return false;
  // callNotFound left a 404 behind; the app's own page is a 200.
  reply.code(200).sendFile('index.html');
  return true;
}

function isApiPath(url: string): boolean {
  let path: string;
  try {
    path = decodeURIComponent(new URL(url, 'http://kiosk').pathname);
  } catch {
    return false;
  }
  return path === '/api' || path.startsWith('/api/');
}
