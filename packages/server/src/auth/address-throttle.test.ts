import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDistrict } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { aUser } from '../testing/users.js';
import { clientAddress } from './address-throttle.js';

describe('the address a throttle counts', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('%s counts as %s', (ip, counted) => {
    expect(clientAddress(ip)).toBe(counted);
  });
});

describe.each(testDialects)('failed sign-ins per client address on %s', (dialect) => {
  const limits = { CUBBY_SIGNIN_ADDRESS_MAX_FAILURES: '6', CUBBY_SIGNIN_ADDRESS_WINDOW_SECONDS: '900' };
  let server: TestServer;
  let second: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, limits);
    await aDistrict(server.cubby);
    // A second instance of the server on the same database, with its own connection.
    second = await startTestServer(dialect, limits, { sameDatabaseAs: server });
  });
  afterAll(async () => {
    await second?.close();
    await server?.close();
  });

  const login = (at: TestServer, email: string, password: string, from = '198.51.100.1', headers = {}) =>
    at.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, remoteAddress: from, headers });

  it('a flood of wrong sign-ins from one address is refused with 429 and Retry-After, across instances; other addresses are not', async () => {
    const user = await aUser(server.cubby, { role: 'auditor' });
    // Spread over many accounts, as a password spray is, so no account lockout steps in first.
    for (let i = 0; i < 3; i++) expect((await login(server, `nobody${i}@district.test`, 'guess guess')).statusCode).toBe(401);
    for (let i = 3; i < 6; i++) expect((await login(second, `nobody${i}@district.test`, 'guess guess')).statusCode).toBe(401);
    for (const at of [server, second]) {
      const refused = await login(at, user.email, user.password);
      expect(refused.statusCode, refused.body).toBe(429);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ code: 'throttled', retryAfter: expect.any(Number) });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(800);
    }
    expect((await login(second, user.email, user.password, '198.51.100.2')).statusCode).toBe(200);
  });

  it('right passwords do not count: a school behind one address signs everyone in', async () => {
    const staff = await Promise.all(Array.from({ length: 7 }, () => aUser(server.cubby, { role: 'auditor' })));
    for (const [i, u] of staff.entries()) {
      const res = await login(i % 2 ? second : server, u.email, u.password, '198.51.100.3');
      expect(res.statusCode, res.body).toBe(200);
    }
    expect((await login(server, 'nobody@district.test', 'a wrong one', '198.51.100.3')).statusCode).toBe(401);
  });

  it('without a trusted proxy, X-Forwarded-For changes nothing: a spoofed header does not escape the count', async () => {
    for (let i = 0; i < 6; i++) await login(server, `spoof${i}@district.test`, 'guess guess', '198.51.100.4');
    const res = await login(server, 'spoof@district.test', 'guess guess', '198.51.100.4', { 'x-forwarded-for': '192.0.2.99' });
    expect(res.statusCode).toBe(429);
  });

  it('station enrollment and first-run setup are counted per address too', async () => {
    const post = (at: TestServer, url: string, payload: object, from: string) =>
      at.app.inject({ method: 'POST', url, payload, remoteAddress: from });
    const code = { code: 'AAAA-BBBB-CCCC' };
    for (let i = 0; i < 6; i++) expect((await post(server, '/station/enroll', code, '198.51.100.5')).statusCode).toBe(401);
    const refused = await post(second, '/station/enroll', code, '198.51.100.5');
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'throttled' });
    const setup = { email: 'eve@district.test', name: 'Eve', password: 'a long enough passphrase' };
    // Setup is done (a user exists): each try is a 409, and counts.
    await aUser(server.cubby, { role: 'auditor' });
    for (let i = 0; i < 6; i++) expect((await post(server, '/api/v1/auth/setup', setup, '198.51.100.6')).statusCode).toBe(409);
    expect((await post(server, '/api/v1/auth/setup', setup, '198.51.100.6')).statusCode).toBe(429);
  });
});

describe.each(testDialects)('behind a named reverse proxy on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { CUBBY_SIGNIN_ADDRESS_MAX_FAILURES: '2', CUBBY_TRUST_PROXY: '10.0.0.1' });
    await aDistrict(server.cubby);
  });
  afterAll(async () => server?.close());

  const login = (from: string, forwardedFor: string) =>
    server.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'nobody@district.test', password: 'guess guess' },
      remoteAddress: from,
      headers: { 'x-forwarded-for': forwardedFor },
    });

  it("the proxy's X-Forwarded-For names the client; the same header from anyone else is ignored", async () => {
    // Through the proxy: each client is counted apart.
    for (const client of ['192.0.2.1', '192.0.2.1', '192.0.2.2', '192.0.2.2'])
      expect((await login('10.0.0.1', client)).statusCode).toBe(401);
    expect((await login('10.0.0.1', '192.0.2.1')).statusCode).toBe(429);
    // What the client wrote into the header itself is left of what the proxy appended: never read.
    expect((await login('10.0.0.1', '198.18.0.7, 192.0.2.1')).statusCode).toBe(429);
    expect((await login('10.0.0.1', '192.0.2.3')).statusCode).toBe(401);
    // Straight to the server, naming a fresh address each time: counted as the connection's own address.
    expect((await login('203.0.113.9', '192.0.2.10')).statusCode).toBe(401);
    expect((await login('203.0.113.9', '192.0.2.11')).statusCode).toBe(401);
    expect((await login('203.0.113.9', '192.0.2.12')).statusCode).toBe(429);
  });
});
