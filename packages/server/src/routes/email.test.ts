import { sealAuditChain } from '@cubby/db';
import { snapshotTables, testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDistrict, anApiToken } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { startSmtpCapture, type SmtpCapture } from '../testing/smtp-capture.js';

describe.each(testDialects)('the email API on %s', (dialect) => {
  let server: TestServer;
  let smtp: SmtpCapture;
  let admin: string;
  let reader: string;

  beforeAll(async () => {
    smtp = await startSmtpCapture({ user: 'relay', pass: 'hunter2-relay' });
    server = await startTestServer(dialect, { CUBBY_JOBS: 'off' });
    await aDistrict(server.cubby);
    admin = await anApiToken(server.cubby, 'admin', { scopes: ['integrations:write'] });
    reader = await anApiToken(server.cubby, 'reader', { scopes: ['fleet:read', 'audit:read'] });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  const call = (method: 'GET' | 'POST' | 'PUT', url: string, token: string, payload?: unknown) =>
    server.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
  const settings = (port: number, extra: Record<string, unknown> = {}) => ({
    host: '127.0.0.1',
    port,
    security: 'none',
    username: 'relay',
    password: 'hunter2-relay',
    fromAddress: 'lockers@district.example.org',
    ...extra,
  });

  it('unset, the settings say so; stored, the password is never answered, logged in the audit, or kept in clear', async () => {
    expect((await call('GET', '/api/v1/email/settings', admin)).json()).toMatchObject({ configured: false, enabled: false });
    const put = await call('PUT', '/api/v1/email/settings', admin, settings(smtp.port));
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ configured: true, enabled: true, passwordSet: true, username: 'relay', port: smtp.port });
    expect(put.body).not.toContain('hunter2');

    // Changed without a password: the stored one stays.
    const again = await call('PUT', '/api/v1/email/settings', admin, {
      ...settings(smtp.port),
      password: undefined,
      replyTo: 'it@district.example.org',
    });
    expect(again.json()).toMatchObject({ passwordSet: true, replyTo: 'it@district.example.org' });

    await sealAuditChain(server.cubby);
    const events = await server.cubby.db
      .selectFrom('audit_events')
      .select(['action', 'data'])
      .where('action', 'like', 'email.%')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['email.configured', 'email.settings_updated']);
    expect(JSON.stringify(await snapshotTables(server.cubby))).not.toContain('hunter2');
  });

  it('a test send goes through the stored settings with the stored password and is audited', async () => {
    const res = await call('POST', '/api/v1/email/test', admin, { to: 'director@district.example.org' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ ok: true });
    expect(smtp.messages.at(-1)).toMatchObject({ to: ['director@district.example.org'], subject: 'Cubby test message' });
    expect(smtp.logins.at(-1)).toEqual({ user: 'relay', pass: 'hunter2-relay' });

    smtp.refuse = () => 'permanent';
    const refused = await call('POST', '/api/v1/email/test', admin, { to: 'director@district.example.org' });
    smtp.refuse = () => null;
    expect(refused.json()).toMatchObject({ ok: false, detail: expect.stringMatching(/550/) });
    await sealAuditChain(server.cubby);
    const tests = await server.cubby.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'email.test_sent')
      .execute();
    expect(tests).toHaveLength(2);
  });

  it('hostile input is refused and changes nothing; without integrations:write every route is 403', async () => {
    const before = await snapshotTables(server.cubby);
    for (const body of [
      settings(smtp.port, { host: 'evil.example.org\r\nRCPT TO:<x@y>' }),
      settings(smtp.port, { fromAddress: 'a@b>\r\nBcc: x@evil' }),
      settings(0),
      settings(smtp.port, { security: 'ssl' }),
      settings(smtp.port, { extra: 1 }),
    ]) {
      expect((await call('PUT', '/api/v1/email/settings', admin, body)).statusCode).toBe(400);
    }
    expect((await call('POST', '/api/v1/email/test', admin, { to: 'x@y\r\nBcc: z@w' })).statusCode).toBe(400);
    expect((await call('POST', '/api/v1/email/deliveries/nope/resend', admin)).statusCode).toBe(404);
    for (const [method, url] of [
      ['GET', '/api/v1/email/settings'],
      ['PUT', '/api/v1/email/settings'],
      ['POST', '/api/v1/email/test'],
      ['GET', '/api/v1/email/deliveries'],
    ] as const) {
      expect((await call(method, url, reader, method === 'GET' ? undefined : settings(smtp.port))).statusCode).toBe(403);
    }
    // Only the tokens' last use moved.
    const { api_tokens: _a, ...after } = await snapshotTables(server.cubby);
    const { api_tokens: _b, ...was } = before;
    expect(after).toEqual(was);
  });

  it('the delivery log lists email jobs by view and pages', async () => {
    const page = await call('GET', '/api/v1/email/deliveries?show=dead&limit=5', admin);
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toEqual({ items: [], nextCursor: null });
    expect((await call('GET', '/api/v1/email/deliveries?show=bogus', admin)).statusCode).toBe(400);
  });
});
