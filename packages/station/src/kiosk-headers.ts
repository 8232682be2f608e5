import helmet from '@fastify/helmet';
import { contentSecurityPolicy } from '@cubby/protocol';
import type { FastifyInstance } from 'fastify';

/**
 * The kiosk page and its API carry the same security headers as the server's
 * pages: protocol's CSP (scripts from this origin only; the page talks only to
 * this origin: `/api` and `/api/events`), no framing, nosniff, no referrer.
 * Never HSTS: the kiosk is plain http on 127.0.0.1.
 */
export function registerKioskSecurityHeaders(app: FastifyInstance): void {
  void app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy },
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: false,
  });
}
