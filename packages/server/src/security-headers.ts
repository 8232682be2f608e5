import helmet from '@fastify/helmet';
import { contentSecurityPolicy } from '@cubby/protocol';
import type { FastifyInstance } from 'fastify';
import type { ServerConfig } from './config.js';

/** A year, as HSTS preload lists ask. */
const hstsMaxAgeSeconds = 365 * 24 * 60 * 60;

/**
 * Security headers on every response (API, dashboard, /docs, errors):
 * protocol's CSP, `X-Frame-Options: DENY` beside `frame-ancestors 'none'`
 * for browsers that predate it, nosniff, no referrer. HSTS only in
 * production mode, the mode that expects HTTPS (its cookies are Secure);
 * browsers ignore it on plain http, so a TLS-terminating proxy in front
 * passes it on. Development and demo run on http://localhost and must not
 * pin a developer's browser to https for a year.
 */
export async function registerSecurityHeaders(app: FastifyInstance, config: Pick<ServerConfig, 'mode'>): Promise<void> {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: config.mode === 'production' ? { maxAge: hstsMaxAgeSeconds, includeSubDomains: true } : false,
  });
}
