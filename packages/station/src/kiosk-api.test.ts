import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildKioskApi, listenKioskApi, type KioskApiOptions } from './kiosk-api.js';
import { aLinkedStation, type LinkedStation, type LinkedStationSetup } from './testing/linked-station.js';

const cleanups: (() => Promise<unknown>)[] = [];

async function aKiosk(
  setup: LinkedStationSetup = {},
  options: Partial<KioskApiOptions> = {},
): Promise<LinkedStation & { api: FastifyInstance }> {
  const station = await aLinkedStation(setup);
  const api = buildKioskApi({ agent: station.agent, ...options });
  cleanups.push(
    () => station.close(),
    () => api.close(),
  );
  return { ...station, api };
}

const borrowTransaction = { id: 'tx-9', kind: 'borrow', status: 'in_progress', compartment: 1, purpose: 'take_loaner' } as const;

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('kiosk API', () => {
  it('GET /api/station reports the station, its link and its compartments', async () => {
    const { api } = await aKiosk({ server: { stationName: 'Library' } });
    const response = await api.inject({ method: 'GET', url: '/api/station' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      stationId: 'station-1',
      stationName: 'Library',
      online: true,
      signedIn: false,
      compartments: [{ number: 1, presence: true, battery: 95 }, { number: 2 }, { number: 3 }],
    });
  });

  it.each([
    ['a badge', { badge: '1234' }],
    ['a student number and PIN', { studentNumber: '5501', pin: '2468' }],
  ])('signs in with %s, and the answer never carries the session token', async (_what, credential) => {
    const { api, server } = await aKiosk({
      server: { onAuth: (m, s) => s.answer(m.id, { data: { session: 'secret-session', person: { givenName: 'Ana' } } }) },
    });
    const response = await api.inject({ method: 'POST', url: '/api/session', payload: credential });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ signedIn: true, person: { givenName: 'Ana' } });
    expect(await server.next((m) => m.type === 'auth')).toMatchObject({ credential });
  });

  it.each([
    ['an empty body', {}],
    ['a badge and a PIN together', { badge: '1', pin: '2' }],
    ['a badge that is not a string', { badge: 1234 }],
  ])('refuses %s for sign-in with 400 problem JSON', async (_what, payload) => {
    const { api, server } = await aKiosk();
    const response = await api.inject({ method: 'POST', url: '/api/session', payload });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: 'urn:cubby:problem:bad_request',
      status: 400,
      code: 'bad_request',
      title: 'Bad request',
    });
    expect(server.received.some((m) => m.type === 'auth')).toBe(false);
  });

  it('refuses an unknown action with 400 problem JSON', async () => {
    const { api } = await aKiosk();
    const response = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'steal' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad_request' });
  });

  it.each([
    ['unknown_credential', 401],
    ['locked_out', 429],
    ['not_eligible', 403],
  ])('passes a sign-in refused with %s through with HTTP %i', async (code, status) => {
    const { api } = await aKiosk({
      server: {
        onAuth: (m, s) => s.answer(m.id, { error: { code, title: 'Refused by the server', detail: 'Ask the library' } }),
      },
    });
    const response = await api.inject({ method: 'POST', url: '/api/session', payload: { badge: '7' } });
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: `urn:cubby:problem:${code}`,
      title: 'Refused by the server',
      status,
      code,
      detail: 'Ask the library',
    });
  });

  it('passes a refused action through as 409 and an offline station as 503', async () => {
    const { api, server, link } = await aKiosk({
      server: {
        onRequest: (m, s) => s.answer(m.id, { error: { code: 'no_loaner_available', title: 'No charged loaner here' } }),
      },
    });
    await api.inject({ method: 'POST', url: '/api/session', payload: { badge: '1234' } });
    const refused = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'borrow', reason: 'broken' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'no_loaner_available', title: 'No charged loaner here' });
    const offline = new Promise((resolve) => link.once('offline', () => resolve(undefined)));
    await server.close();
    await offline;
    const response = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'borrow', reason: 'broken' } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'offline', status: 503 });
  });

  it("keeps the server's extension members on a refusal (nearby stations), never over the standard ones", async () => {
    const nearby = [{ stationId: 's-2', stationName: 'Cafeteria', available: 3 }];
    const { api } = await aKiosk({
      server: {
        onRequest: (m, s) =>
          s.answer(m.id, {
            error: { code: 'no_loaner_available', title: 'None here', data: { nearby, code: 'ignored', status: 200 } },
          } as never),
      },
    });
    await api.inject({ method: 'POST', url: '/api/session', payload: { badge: '1234' } });
    const refused = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'borrow', reason: 'broken' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'no_loaner_available', status: 409, nearby });
  });

  it('tells the kiosk screen its settings with the station status', async () => {
    const { api } = await aKiosk({}, { kiosk: { language: 'es', idleSignOutSeconds: 30 } });
    const response = await api.inject({ method: 'GET', url: '/api/station' });
    expect(response.json()).toMatchObject({ kiosk: { language: 'es', idleSignOutSeconds: 30 } });
  });

  it('acting after signing out is refused with 401 session_expired', async () => {
    const { api } = await aKiosk();
    await api.inject({ method: 'POST', url: '/api/session', payload: { badge: '1234' } });
    expect((await api.inject({ method: 'DELETE', url: '/api/session' })).statusCode).toBe(204);
    const response = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'charge' } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'session_expired' });
  });

  it('starts an action and serves the transaction it started', async () => {
    const { api } = await aKiosk({
      server: { onRequest: (m, s) => s.answer(m.id, { data: { transaction: borrowTransaction } }) },
    });
    await api.inject({ method: 'POST', url: '/api/session', payload: { badge: '1234' } });
    const started = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'borrow', reason: 'forgotten' } });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toEqual({ transaction: borrowTransaction });
    const known = await api.inject({ method: 'GET', url: '/api/transactions/tx-9' });
    expect(known.json()).toEqual(borrowTransaction);
    const unknown = await api.inject({ method: 'GET', url: '/api/transactions/tx-0' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'not_found' });
  });

  it('answers an unknown route with 404 problem JSON', async () => {
    const { api } = await aKiosk();
    const response = await api.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses requests addressed to a foreign host name', async () => {
    const { api } = await aKiosk();
    const response = await api.inject({ method: 'GET', url: '/api/station', headers: { host: 'evil.example:8787' } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'forbidden' });
  });

  it('streams the station status, then transaction and door updates, as server-sent events', async () => {
    const { api, server, bank } = await aKiosk();
    const stream = await openEvents(await listenKioskApi(api, 0));
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await stream.seen('status');
    server.send({ type: 'transaction', transaction: { ...borrowTransaction, status: 'completed' } });
    await stream.seen('transaction');
    bank.forceOpen(2);
    await stream.seen('door');
    expect(stream.data('status')).toMatchObject({ online: true, stationId: 'station-1' });
    expect(stream.data('transaction')).toEqual({
      type: 'transaction',
      transaction: { ...borrowTransaction, status: 'completed' },
    });
    expect(stream.data('door')).toEqual({ type: 'door', compartment: 2, door: 'open' });
  });

  it('sends a kiosk that reconnects with Last-Event-ID what it missed, in order, then the status', async () => {
    const { api, server, bank, agent } = await aKiosk();
    const url = await listenKioskApi(api, 0);
    const first = await openEvents(url);
    await first.seen('status');
    server.send({ type: 'transaction', transaction: borrowTransaction });
    await first.seen('transaction');
    const lastId = first.events.find((e) => e.event === 'transaction')!.id!;
    first.close();
    // While the kiosk is away: the door opens, the transaction finishes.
    bank.forceOpen(2);
    server.send({ type: 'transaction', transaction: { ...borrowTransaction, status: 'completed' } });
    await agent.waitForTransaction(borrowTransaction.id);
    await until(() => first.closed);
    const again = await openEvents(url, lastId);
    await again.seen('status');
    const missed = again.events.filter((e) => e.id !== undefined);
    expect(missed.map((e) => [e.event, e.data])).toEqual([
      ['door', { type: 'door', compartment: 2, door: 'open' }],
      ['transaction', { type: 'transaction', transaction: { ...borrowTransaction, status: 'completed' } }],
    ]);
    expect(again.events.at(-1)?.event).toBe('status');
    // A stream from before this agent run (or none at all) gets no replay, only the status.
    const stranger = await openEvents(url, 'another-run.1');
    await stranger.seen('status');
    expect(stranger.events.map((e) => e.event)).toEqual(['status']);
  });

  it('keeps the heartbeat on the event stream', async () => {
    const { api } = await aKiosk({}, { sseHeartbeatMs: 20 });
    const stream = await openEvents(await listenKioskApi(api, 0));
    await until(() => stream.raw.includes(': heartbeat'));
  });

  it('serves kiosk assets from staticDir, falling back to index.html, never outside it', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'kiosk-assets-'));
    cleanups.push(() => rm(parent, { recursive: true, force: true }));
    const dir = join(parent, 'kiosk');
    await mkdir(dir);
    await writeFile(join(parent, 'secret.txt'), 'station token');
    await writeFile(join(dir, 'index.html'), '<h1>Scan your badge</h1>');
    await writeFile(join(dir, 'app.js'), 'console.log("kiosk")');
    const { api } = await aKiosk({}, { staticDir: dir });
    const script = await api.inject({ method: 'GET', url: '/app.js' });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toBe('console.log("kiosk")');
    const page = await api.inject({ method: 'GET', url: '/borrow/reason' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe('<h1>Scan your badge</h1>');
    expect((await api.inject({ method: 'GET', url: '/' })).body).toBe('<h1>Scan your badge</h1>');
    expect((await api.inject({ method: 'GET', url: '/%2e%2e/%2e%2e/etc/passwd' })).body).not.toContain('root:');
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const escape = await api.inject({ method: 'GET', url });
      expect(escape.body, url).not.toContain('station token');
    }
    expect((await api.inject({ method: 'GET', url: '/api/unknown' })).statusCode).toBe(404);
  });

  it('tells the browser to revalidate kiosk assets, and refuses them to a foreign host name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-assets-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'index.html'), '<h1>Scan your badge</h1>');
    const { api } = await aKiosk({}, { staticDir: dir });
    const page = await api.inject({ method: 'GET', url: '/' });
    expect(page.headers['cache-control']).toMatch(/max-age=0/);
    const etag = String(page.headers.etag);
    expect((await api.inject({ method: 'GET', url: '/', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    const foreign = await api.inject({ method: 'GET', url: '/', headers: { host: 'evil.example' } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).not.toContain('Scan your badge');
  });
});

interface SentEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

/** Follows `/api/events` the way EventSource reads it: frames of `field: value` lines. */
async function openEvents(url: string, lastEventId?: string) {
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    httpRequest(`${url}/api/events`, { headers: lastEventId ? { 'last-event-id': lastEventId } : {} }, resolve)
      .on('error', reject)
      .end(),
  );
  const stream = {
    contentType: response.headers['content-type'],
    events: [] as SentEvent[],
    raw: '',
    closed: false,
    seen: (name: string) => until(() => stream.events.some((e) => e.event === name)),
    data: (name: string) => stream.events.find((e) => e.event === name)?.data,
    close: () => response.destroy(),
  };
  cleanups.push(async () => response.destroy());
  response.setEncoding('utf8');
  let buffer = '';
  response.on('close', () => (stream.closed = true));
  response.on('data', (chunk: string) => {
    stream.raw += chunk;
    buffer += chunk;
    const frames = buffer.split('\n\n');
    buffer = frames.pop() ?? '';
    for (const frame of frames) {
      const fields = new Map(
        frame.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      if (!fields.has('event')) continue;
      stream.events.push({ id: fields.get('id'), event: fields.get('event')!, data: JSON.parse(fields.get('data') ?? 'null') });
    }
  });
  return stream;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the event stream');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
