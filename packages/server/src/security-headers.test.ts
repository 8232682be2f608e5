import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/harness.js';

type Res = Awaited<ReturnType<TestServer['app']['inject']>>;

/** Every page and answer of the server, whatever made it: a route, a plugin, the not-found handler. */
const surfaces = [
  ['the API', 'GET', '/api/v1/auth/status'],
  ['a refused API call', 'GET', '/api/v1/devices'],
  ['the dashboard', 'GET', '/dashboard/'],
  ['a dashboard route', 'GET', '/dashboard/stations/anything'],
  ['the API docs', 'GET', '/docs'],
  ['a Swagger UI asset', 'GET', '/docs/static/swagger-initializer.js'],
  ['the OpenAPI document', 'GET', '/openapi.json'],
  ['an unknown path', 'GET', '/nowhere'],
  ['the health check', 'GET', '/health'],
] as const;

function expectSecurityHeaders(res: Res) {
  const csp = String(res.headers['content-security-policy']);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toMatch(/script-src 'self'(;|$)/);
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('upgrade-insecure-requests');
  expect(res.headers['x-frame-options']).toBe('DENY');
  expect(res.headers['x-content-type-options']).toBe('nosniff');
  expect(res.headers['referrer-policy']).toBe('no-referrer');
}

describe.each(testDialects)('security headers on %s', (dialect) => {
  let development: TestServer;
  let production: TestServer;
  beforeAll(async () => {
    development = await startTestServer(dialect);
    production = await startTestServer(dialect, { CUBBY_MODE: 'production' });
  });
  afterAll(async () => {
    await development?.close();
    await production?.close();
  });

  it.each(surfaces)('%s (%s %s) carries the CSP, frame, sniffing and referrer headers', async (_name, method, url) => {
    const res = await development.app.inject({ method, url });
    expect(res.statusCode).toBeLessThan(500);
    expectSecurityHeaders(res);
  });

  it('sends no HSTS outside production mode: a developer on http://localhost is not pinned to https', async () => {
    for (const [, method, url] of surfaces) {
      expect((await development.app.inject({ method, url })).headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('sends HSTS for a year with subdomains in production mode', async () => {
    for (const [, method, url] of surfaces) {
      const res = await production.app.inject({ method, url });
      expectSecurityHeaders(res);
      expect(res.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    }
  });
});
