import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '@cubby/db/pg-cluster';
import { testDialects } from '@cubby/db/testing';
import { aDistrict } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { startOidcProvider, ssoSignIn, type TestOidcProvider } from '../testing/oidc-provider.js';
import { aUser } from '../testing/users.js';

describe.each(testDialects)('single sign-on (OIDC, code + PKCE) against a real provider on %s', (dialect) => {
  let idp: TestOidcProvider;
  let server: TestServer;
  let cubbyUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    cubbyUrl = `http://127.0.0.1:${port}`;
    idp = await startOidcProvider({
      redirectUri: `${cubbyUrl}/api/v1/auth/oidc/callback`,
      accounts: {
        'g-1001': { email: 'Grace@District.test' },
        'g-1002': { email: 'stranger@elsewhere.test' },
        'g-1003': { email: 'unverified@district.test', emailVerified: false },
        'g-1004': { email: 'off@district.test' },
      },
    });
    server = await startTestServer(dialect, {
      PORT: String(port),
      CUBBY_OIDC_ISSUER: idp.issuer,
      CUBBY_OIDC_CLIENT_ID: idp.clientId,
      CUBBY_OIDC_CLIENT_SECRET: idp.clientSecret,
      CUBBY_OIDC_REDIRECT_URL: `${cubbyUrl}/api/v1/auth/oidc/callback`,
      CUBBY_OIDC_LABEL: 'Sign in with District SSO',
    });
    expect(server.url).toBe(cubbyUrl);
    await aDistrict(server.cubby);
    await aUser(server.cubby, { role: 'auditor', email: 'grace@district.test', name: 'Grace' });
    await aUser(server.cubby, { role: 'auditor', email: 'unverified@district.test' });
    const off = await aUser(server.cubby, { role: 'auditor', email: 'off@district.test' });
    await server.cubby.db.updateTable('users').set({ disabled: 1 }).where('id', '=', off.id).execute();
  });
  afterAll(async () => {
    await server?.close();
    await idp?.close();
  });

  const me = (cookie: string | undefined) =>
    fetch(`${cubbyUrl}/api/v1/auth/me`, { headers: { cookie: `cubby_session=${cookie}` } });

  it('the sign-in page is told single sign-on is available and what to call it', async () => {
    const status = await (await fetch(`${cubbyUrl}/api/v1/auth/status`)).json();
    expect(status).toMatchObject({ oidc: { enabled: true, label: 'Sign in with District SSO' } });
  });

  it('an account an admin created signs in through the provider, and is bound to the provider subject', async () => {
    const { res, sessionCookie } = await ssoSignIn(cubbyUrl, 'g-1001');
    expect(res.status, res.status === 302 ? '' : await res.text()).toBe(302);
    expect(res.headers.get('location')).toBe('/dashboard/');
    const profile = await me(sessionCookie);
    expect(profile.status).toBe(200);
    expect(await profile.json()).toMatchObject({ user: { email: 'grace@district.test', role: 'auditor' } });
    const row = await server.cubby.db
      .selectFrom('users')
      .select('oidc_subject')
      .where('email', '=', 'grace@district.test')
      .executeTakeFirstOrThrow();
    expect(row.oidc_subject).toBe(`${idp.issuer}|g-1001`);
    // The second time the subject alone finds the account.
    expect((await me((await ssoSignIn(cubbyUrl, 'g-1001')).sessionCookie)).status).toBe(200);
  });

  it('someone the district has not added, an unverified email, or a disabled account gets no session', async () => {
    for (const account of ['g-1002', 'g-1003', 'g-1004']) {
      const { res, sessionCookie } = await ssoSignIn(cubbyUrl, account);
      expect(res.status, account).toBe(403);
      expect(await res.json()).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/No Cubby account/) });
      expect(sessionCookie, account).toBeUndefined();
    }
  });

  it("a callback whose state was tampered with, or that arrives without the browser's login cookie, is refused", async () => {
    const tampered = await ssoSignIn(cubbyUrl, 'g-1001', (u) => u.searchParams.set('state', 'forged-state'));
    expect(tampered.res.status).toBe(403);
    expect(tampered.sessionCookie).toBeUndefined();
    const bare = await fetch(`${cubbyUrl}/api/v1/auth/oidc/callback?code=abc&state=xyz`, { redirect: 'manual' });
    expect(bare.status).toBe(403);
    expect(await bare.json()).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/start again/) });
  });
});
