import { permissions, rolePermissions, staffRoles, type Permission, type StaffRole } from '@cubby/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { aDistrict, anApiToken, aSite } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { aUser, signIn } from '../testing/users.js';

/**
 * ARCHITECTURE §8, written out independently of the code: what each dashboard
 * role may do. The test walks every /api/ route the server has, as every
 * role (and as nobody, and as a narrow API token), and proves each gets
 * exactly this: 401 without credentials, 403 without the permission, and
 * never 401/403 with it.
 */
const expected: Record<StaffRole, Permission[]> = {
  district_admin: [
    'fleet:read',
    'people:read',
    'audit:read',
    'station:operate',
    'repairs:write',
    'sites:write',
    'policy:write',
    'users:write',
    'tokens:write',
    'privacy:export',
    'privacy:erase',
    'people:write',
    'devices:write',
    'integrations:write',
    'roster:import',
  ],
  site_admin: [
    'fleet:read',
    'people:read',
    'audit:read',
    'station:operate',
    'repairs:write',
    'sites:write',
    'people:write',
    'devices:write',
  ],
  technician: ['fleet:read', 'station:operate', 'repairs:write', 'devices:write'],
  auditor: ['fleet:read', 'people:read', 'audit:read'],
};

const fakeId = '01900000-0000-7000-8000-000000000000';
const concrete = (url: string) => url.replace(/:number\b/g, '1').replace(/:[A-Za-z]+/g, fakeId);
const bodyless = new Set(['GET', 'DELETE']);

describe('the role table', () => {
  it('says what ARCHITECTURE §8 says, role by role', () => {
    expect([...staffRoles].sort()).toEqual(Object.keys(expected).sort());
    for (const role of staffRoles) expect([...rolePermissions[role]].sort(), role).toEqual([...expected[role]].sort());
  });
});

describe.each(testDialects)('the role × endpoint matrix on %s', (dialect) => {
  let server: TestServer;
  const callers = new Map<string, { headers: Record<string, string>; granted: ReadonlySet<Permission> }>();

  beforeAll(async () => {
    server = await startTestServer(dialect);
    const { districtId, siteId } = await aDistrict(server.cubby);
    await aSite(server.cubby, districtId, { name: 'North' });
    for (const role of staffRoles) {
      const user = await aUser(server.cubby, { role, siteIds: role === 'site_admin' || role === 'technician' ? [siteId] : null });
      callers.set(role, { headers: (await signIn(server.app, user)).headers, granted: new Set(expected[role]) });
    }
    const token = await anApiToken(server.cubby, 'reader', { scopes: ['fleet:read'] });
    callers.set('token with fleet:read', { headers: { authorization: `Bearer ${token}` }, granted: new Set(['fleet:read']) });
  });
  afterAll(async () => server?.close());

  const apiRoutes = () => server.routes.filter((r) => r.url.startsWith('/api/'));

  async function call(method: string, url: string, headers: Record<string, string>): Promise<number> {
    if (url.endsWith('/live')) {
      // A live stream never ends: look at the status line, then hang up.
      const abort = new AbortController();
      const res = await fetch(`${server.url}${url}`, { headers, signal: abort.signal });
      abort.abort();
      return res.status;
    }
    const res = await server.app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(bodyless.has(method) ? {} : { payload: {} }),
    });
    return res.statusCode;
  }

  it('every /api/ route declares who may call it', () => {
    expect(apiRoutes().length).toBeGreaterThan(10);
    const undeclared = apiRoutes()
      .filter((r) => r.access === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
    for (const r of apiRoutes()) expect(['public', 'signed-in', ...permissions], `${r.method} ${r.url}`).toContain(r.access);
  });

  it('without credentials every non-public route answers 401', async () => {
    for (const route of apiRoutes()) {
      const status = await call(route.method, concrete(route.url), {});
      if (route.access === 'public') expect([401, 403], `${route.method} ${route.url}`).not.toContain(status);
      else expect(status, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('each role and token gets exactly the routes its permissions allow (403 otherwise)', async () => {
    const seen: string[] = [];
    for (const [who, caller] of callers) {
      // Signing out would end the session the rest of the walk uses; it is tested on its own.
      for (const route of apiRoutes().filter((r) => r.url !== '/api/v1/auth/logout')) {
        const status = await call(route.method, concrete(route.url), caller.headers);
        const label = `${who}: ${route.method} ${route.url} → ${status}`;
        const access = route.access!;
        if (access === 'public') expect([401, 403], label).not.toContain(status);
        else if (access === 'signed-in') {
          // /auth/me is a user's profile; a token has none.
          if (!(who.startsWith('token') && route.url === '/api/v1/auth/me')) expect([401, 403], label).not.toContain(status);
        } else if (caller.granted.has(access)) expect([401, 403], label).not.toContain(status);
        else expect(status, label).toBe(403);
        seen.push(label);
      }
    }
    expect(seen.length).toBe(callers.size * (apiRoutes().length - 1));
  });
});
