import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDialects, sealAndVerify } from '@cubby/db/testing';
import { aDistrict, aSite } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { aUser, signIn } from '../testing/users.js';

type Res = Awaited<ReturnType<TestServer['app']['inject']>>;

function expectProblem(res: Res, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.json()).toMatchObject({ status, code });
}

describe.each(testDialects)('dashboard sign-in on %s', (dialect) => {
  let server: TestServer;
  let siteId: string;
  let otherSiteId: string;
  beforeAll(async () => {
    server = await startTestServer(dialect, { CUBBY_LOGIN_MAX_FAILURES: '3' });
    const district = await aDistrict(server.cubby);
    siteId = district.siteId;
    otherSiteId = await aSite(server.cubby, district.districtId, { name: 'North' });
  });
  afterAll(async () => server?.close());

  const inject = (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    url: string,
    headers: Record<string, string> = {},
    payload?: unknown,
  ) => server.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('first-run setup creates the first district admin, signs them in, and then is closed', async () => {
    expect((await inject('GET', '/api/v1/auth/status')).json()).toEqual({
      setupRequired: true,
      oidc: { enabled: false, label: null },
    });
    expectProblem(
      await inject('POST', '/api/v1/auth/setup', {}, { email: 'ada@district.test', name: 'Ada', password: 'short' }),
      400,
      'bad_request',
    );
    const res = await inject(
      'POST',
      '/api/v1/auth/setup',
      {},
      { email: 'Ada@District.test', name: 'Ada', password: 'a long enough passphrase' },
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      user: { email: 'ada@district.test', role: 'district_admin', siteIds: null },
      csrfToken: expect.any(String),
    });
    const cookie = res.cookies.find((c) => c.name === 'cubby_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeFalsy(); // development mode over plain http
    const me = await inject('GET', '/api/v1/auth/me', { cookie: `cubby_session=${cookie.value}` });
    expect(me.json()).toMatchObject({
      user: { name: 'Ada', permissions: expect.arrayContaining(['users:write', 'tokens:write']) },
    });
    expect((await inject('GET', '/api/v1/auth/status')).json()).toMatchObject({ setupRequired: false });
    expectProblem(
      await inject(
        'POST',
        '/api/v1/auth/setup',
        {},
        { email: 'eve@district.test', name: 'Eve', password: 'a long enough passphrase' },
      ),
      409,
      'conflict',
    );
    expect(await server.cubby.db.selectFrom('users').select('email').execute()).toEqual([{ email: 'ada@district.test' }]);
  });

  it('a wrong password or unknown email says the same; repeated failures lock the account, even for the right password', async () => {
    const user = await aUser(server.cubby, { role: 'auditor' });
    expectProblem(
      await inject('POST', '/api/v1/auth/login', {}, { email: 'nobody@district.test', password: 'whatever it is' }),
      401,
      'bad_credentials',
    );
    expectProblem(
      await inject('POST', '/api/v1/auth/login', {}, { email: user.email, password: 'not the password' }),
      401,
      'bad_credentials',
    );
    expectProblem(
      await inject('POST', '/api/v1/auth/login', {}, { email: user.email, password: 'not the password' }),
      401,
      'bad_credentials',
    );
    expectProblem(
      await inject('POST', '/api/v1/auth/login', {}, { email: user.email, password: 'not the password' }),
      429,
      'locked_out',
    );
    expectProblem(
      await inject('POST', '/api/v1/auth/login', {}, { email: user.email, password: user.password }),
      429,
      'locked_out',
    );
    const audit = await server.cubby.db.selectFrom('audit_events').select('action').where('entity_id', '=', user.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['user.locked_out', 'user.sign_in_failed', 'user.sign_in_failed']);
    // The lock runs out: the right password works again and the count starts over.
    await server.cubby.db
      .updateTable('users')
      .set({ locked_until: Date.now() - 1 })
      .where('id', '=', user.id)
      .execute();
    expect((await inject('POST', '/api/v1/auth/login', {}, { email: user.email, password: user.password })).statusCode).toBe(200);
    expect(
      await server.cubby.db
        .selectFrom('users')
        .select(['failed_logins', 'locked_until'])
        .where('id', '=', user.id)
        .executeTakeFirst(),
    ).toEqual({ failed_logins: 0, locked_until: null });
  });

  it('a changing request with the session cookie needs the CSRF token; logout ends the session', async () => {
    const admin = await signIn(server.app, await aUser(server.cubby, { role: 'district_admin' }));
    const body = {
      email: 'tech@district.test',
      name: 'Tech',
      role: 'technician',
      siteIds: [siteId],
      password: 'another long passphrase',
    };
    expectProblem(await inject('POST', '/api/v1/users', { cookie: admin.cookie }, body), 403, 'csrf_failed');
    expectProblem(
      await inject('POST', '/api/v1/users', { cookie: admin.cookie, 'x-csrf-token': 'guess' }, body),
      403,
      'csrf_failed',
    );
    expect(
      await server.cubby.db.selectFrom('users').select('id').where('email', '=', body.email).executeTakeFirst(),
    ).toBeUndefined();
    const created = await inject('POST', '/api/v1/users', admin.headers, body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      email: 'tech@district.test',
      role: 'technician',
      siteIds: [siteId],
      sso: false,
      disabled: false,
    });
    expect((await inject('POST', '/api/v1/auth/logout', admin.headers)).statusCode).toBe(204);
    expectProblem(await inject('GET', '/api/v1/auth/me', { cookie: admin.cookie }), 401, 'unauthenticated');
    expectProblem(await inject('GET', '/api/v1/users', { cookie: admin.cookie }), 401, 'unauthenticated');
  });

  it('users: roles need sensible campuses, emails are unique, and a disabled or narrowed user is signed out at once', async () => {
    const admin = await signIn(server.app, await aUser(server.cubby, { role: 'district_admin' }));
    const post = (body: object) => inject('POST', '/api/v1/users', admin.headers, body);
    expectProblem(await post({ email: 'sa@district.test', name: 'SA', role: 'site_admin' }), 400, 'bad_request');
    expectProblem(
      await post({ email: 'sa@district.test', name: 'SA', role: 'site_admin', siteIds: ['no-such-site'] }),
      400,
      'bad_request',
    );
    expectProblem(await post({ email: 'sa@district.test', name: 'SA', role: 'superuser' }), 400, 'bad_request');
    const sa = await post({
      email: 'sa@district.test',
      name: 'SA',
      role: 'site_admin',
      siteIds: [siteId],
      password: 'site admin passphrase',
    });
    expect(sa.statusCode, sa.body).toBe(201);
    expectProblem(await post({ email: 'SA@district.test', name: 'Again', role: 'auditor' }), 409, 'conflict');

    const saBrowser = await signIn(server.app, { email: 'sa@district.test', password: 'site admin passphrase' });
    expect((await inject('GET', '/api/v1/auth/me', { cookie: saBrowser.cookie })).json()).toMatchObject({
      user: { role: 'site_admin', siteIds: [siteId] },
    });
    const id = sa.json<{ id: string }>().id;
    const moved = await inject('PATCH', `/api/v1/users/${id}`, admin.headers, { siteIds: [otherSiteId] });
    expect(moved.json()).toMatchObject({ siteIds: [otherSiteId] });
    expectProblem(await inject('GET', '/api/v1/auth/me', { cookie: saBrowser.cookie }), 401, 'unauthenticated');
    const again = await signIn(server.app, { email: 'sa@district.test', password: 'site admin passphrase' });
    expect((await inject('DELETE', `/api/v1/users/${id}`, admin.headers)).statusCode).toBe(204);
    expectProblem(await inject('GET', '/api/v1/auth/me', { cookie: again.cookie }), 401, 'unauthenticated');
    expectProblem(
      await inject('POST', '/api/v1/auth/login', {}, { email: 'sa@district.test', password: 'site admin passphrase' }),
      401,
      'bad_credentials',
    );
    const list = (await inject('GET', '/api/v1/users', admin.headers)).json<{ items: { email: string; disabled: boolean }[] }>();
    expect(list.items.find((u) => u.email === 'sa@district.test')).toMatchObject({ disabled: true });
    expect(JSON.stringify(list)).not.toMatch(/argon2|password_hash/);
  });

  it('an admin cannot disable themself, and the district keeps an active district admin', async () => {
    const db = server.cubby.db;
    const lone = await startTestServer(dialect);
    try {
      await aDistrict(lone.cubby);
      const me = await aUser(lone.cubby, { role: 'district_admin' });
      const browser = await signIn(lone.app, me);
      expectProblem(
        await lone.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${me.id}`,
          headers: browser.headers,
          payload: { disabled: true },
        }),
        409,
        'conflict',
      );
      expectProblem(
        await lone.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${me.id}`,
          headers: browser.headers,
          payload: { role: 'auditor' },
        }),
        409,
        'conflict',
      );
      const other = await aUser(lone.cubby, { role: 'district_admin' });
      await lone.cubby.db.updateTable('users').set({ disabled: 1 }).where('id', '=', me.id).execute();
      const otherBrowser = await signIn(lone.app, other);
      // `me` is disabled, so `other` is the last active one and cannot step down.
      expectProblem(
        await lone.app.inject({
          method: 'PATCH',
          url: `/api/v1/users/${other.id}`,
          headers: otherBrowser.headers,
          payload: { role: 'auditor' },
        }),
        409,
        'conflict',
      );
    } finally {
      await lone.close();
    }
    expect(db).toBeDefined();
  });

  it('API tokens: shown once, listed without their value, limited to their scopes and campuses, revocable', async () => {
    const admin = await signIn(server.app, await aUser(server.cubby, { role: 'district_admin' }));
    expectProblem(
      await inject('POST', '/api/v1/api-tokens', admin.headers, { name: 'bad', scopes: ['users:write'] }),
      400,
      'bad_request',
    );
    expectProblem(
      await inject('POST', '/api/v1/api-tokens', admin.headers, { name: 'bad', scopes: ['everything'] }),
      400,
      'bad_request',
    );
    const created = await inject('POST', '/api/v1/api-tokens', admin.headers, {
      name: 'Snipe-IT sync',
      scopes: ['fleet:read'],
      siteIds: [siteId],
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, token } = created.json<{ id: string; token: string }>();
    expect(token).toMatch(/^cat_/);
    const listed = await inject('GET', '/api/v1/api-tokens', admin.headers);
    expect(listed.json<{ items: { id: string }[] }>().items.find((t) => t.id === id)).toMatchObject({
      name: 'Snipe-IT sync',
      scopes: ['fleet:read'],
      siteIds: [siteId],
      revokedAt: null,
    });
    expect(listed.body).not.toContain(token);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await inject('GET', '/api/v1/devices', bearer)).statusCode).toBe(200);
    expectProblem(await inject('GET', '/api/v1/people', bearer), 403, 'forbidden');
    expectProblem(await inject('GET', '/api/v1/users', bearer), 403, 'forbidden');
    expect((await inject('DELETE', `/api/v1/api-tokens/${id}`, admin.headers)).statusCode).toBe(204);
    expectProblem(await inject('GET', '/api/v1/devices', bearer), 401, 'unauthenticated');
    expectProblem(await inject('DELETE', `/api/v1/api-tokens/${id}`, admin.headers), 404, 'not_found');
  });

  it('every sign-in change is in the audit chain, which still verifies', async () => {
    const actions = await server.cubby.db
      .selectFrom('audit_events')
      .select('action')
      .where('entity_type', 'in', ['user', 'api_token'])
      .execute();
    expect(new Set(actions.map((a) => a.action))).toEqual(
      new Set([
        'user.created',
        'user.signed_in',
        'user.sign_in_failed',
        'user.locked_out',
        'user.signed_out',
        'user.changed',
        'api_token.created',
        'api_token.revoked',
      ]),
    );
    expect((await sealAndVerify(server.cubby)).ok).toBe(true);
  });
});

describe('sign-in in production mode', () => {
  it('marks the session cookie Secure', async () => {
    const server = await startTestServer('sqlite', { CUBBY_MODE: 'production' });
    try {
      await aDistrict(server.cubby);
      const user = await aUser(server.cubby, { role: 'auditor' });
      const res = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: user.password },
      });
      expect(res.cookies.find((c) => c.name === 'cubby_session')).toMatchObject({ secure: true, httpOnly: true });
    } finally {
      await server.close();
    }
  });
});
