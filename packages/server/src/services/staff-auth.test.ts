import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDistrict } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { aUser } from '../testing/users.js';

describe.each(testDialects)('the dashboard lockout under concurrent guesses on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    await aDistrict(server.cubby);
  });
  afterAll(async () => server?.close());

  const login = (email: string, password: string) =>
    server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

  it('40 wrong passwords sent at once lock the account, so the right password is refused, and only 5 of them were checked', async () => {
    const user = await aUser(server.cubby, { role: 'auditor' });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => login(user.email, `wrong password ${i}`)));
    const codes = answers.map((a) => a.json<{ code: string }>().code);
    // The configured five guesses were checked (four wrong, the fifth locks); the other 35 were refused unchecked.
    expect(codes.filter((c) => c === 'bad_credentials')).toHaveLength(4);
    expect(codes.filter((c) => c === 'locked_out')).toHaveLength(36);
    expect(answers.filter((a) => a.statusCode === 429).every((a) => Number(a.headers['retry-after']) > 0)).toBe(true);

    const right = await login(user.email, user.password);
    expect(right.statusCode, right.body).toBe(429);
    expect(right.json()).toMatchObject({ code: 'locked_out' });
    const audit = await server.cubby.db.selectFrom('audit_events').select('action').where('entity_id', '=', user.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual([...Array(4).fill('user.sign_in_failed'), 'user.locked_out'].sort());
  });

  it('a right password among concurrent wrong ones still signs in while the account has guesses left', async () => {
    const user = await aUser(server.cubby, { role: 'auditor' });
    const [right, ...wrong] = await Promise.all([
      login(user.email, user.password),
      login(user.email, 'wrong password a'),
      login(user.email, 'wrong password b'),
    ]);
    expect(right!.statusCode, right!.body).toBe(200);
    expect(wrong.map((w) => w.statusCode)).toEqual([401, 401]);
  });
});
