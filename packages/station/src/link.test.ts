import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CompartmentReading } from '@cubby/protocol';
import { linkUrl } from './link-url.js';
import { StationLink, type StationLinkOptions } from './link.js';
import { StationRequestError } from './request-error.js';
import { capturedLogger } from './testing/captured-logger.js';
import { ProtocolServer, type ProtocolServerOptions } from './testing/protocol-server.js';

const token = 'station-token-s3cret';
const readings: CompartmentReading[] = [{ number: 1, door: 'closed', presence: true, charging: false, battery: 70 }];
const cleanups: (() => Promise<void>)[] = [];

async function aServer(options: Partial<ProtocolServerOptions> = {}): Promise<ProtocolServer> {
  const server = await ProtocolServer.start({ token, ...options });
  cleanups.push(() => server.close());
  return server;
}

function aLink(server: ProtocolServer, options: Partial<StationLinkOptions> = {}): StationLink {
  const link = new StationLink({
    serverUrl: server.url,
    token,
    readings: async () => readings,
    minBackoffMs: 20,
    maxBackoffMs: 100,
    ...options,
  });
  cleanups.push(() => link.close());
  return link;
}

async function online(link: StationLink): Promise<void> {
  if (link.online) return;
  await new Promise<void>((resolve) => link.once('online', () => resolve()));
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('StationLink', () => {
  it('says hello with the bearer token and the readings, and is online once welcomed', async () => {
    const server = await aServer({ stationId: 'st-7', stationName: 'Gym' });
    const link = aLink(server, { agentVersion: '9.9.9' });
    const identities: unknown[] = [];
    link.on('online', (identity) => identities.push(identity));
    expect(link.online).toBe(false);
    link.start();
    await online(link);
    expect(server.authorizations).toEqual([`Bearer ${token}`]);
    expect(await server.next((m) => m.type === 'hello')).toMatchObject({ v: 1, agentVersion: '9.9.9', compartments: readings });
    expect(identities).toEqual([{ stationId: 'st-7', stationName: 'Gym' }]);
    expect(link.identity).toEqual({ stationId: 'st-7', stationName: 'Gym' });
    expect(server.invalid).toEqual([]);
  });

  it('resolves a request with the data of its ok result, each request with a fresh id', async () => {
    const server = await aServer({ onRequest: (m, s) => s.answer(m.id, { data: { echo: m.action.kind } }) });
    const link = aLink(server);
    link.start();
    await online(link);
    const action = { type: 'request', session: 's', action: { kind: 'charge' } } as const;
    expect(await link.request(action)).toEqual({ echo: 'charge' });
    expect(await link.request(action)).toEqual({ echo: 'charge' });
    const ids = server.received.filter((m) => m.type === 'request').map((m) => m.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('rejects a refused request with the server problem code, title and detail', async () => {
    const server = await aServer({
      onRequest: (m, s) =>
        s.answer(m.id, { error: { code: 'loan_limit_reached', title: 'Already has a loaner', detail: 'Return it first' } }),
    });
    const link = aLink(server);
    link.start();
    await online(link);
    const error = await link.request({ type: 'request', session: 's', action: { kind: 'pickup' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StationRequestError);
    expect(error).toMatchObject({ code: 'loan_limit_reached', title: 'Already has a loaner', detail: 'Return it first' });
  });

  it('rejects a request the server answers with an error notice instead of a result', async () => {
    const server = await aServer({
      onRequest: (m, s) =>
        void s.send({
          type: 'message',
          level: 'error',
          text: 'Send hello first',
          re: m.id,
          error: { code: 'bad_request', title: 'Send hello first' },
        }),
    });
    const link = aLink(server);
    link.start();
    await online(link);
    await expect(link.request({ type: 'request', session: 's', action: { kind: 'pickup' } })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('refuses a request at once with the offline code while the link is down', async () => {
    const server = await aServer();
    const link = aLink(server);
    // At once, not after the request timeout: no timer is waited for (fake clock frozen).
    vi.useFakeTimers();
    try {
      await expect(link.request({ type: 'auth', credential: { badge: '1' } })).rejects.toMatchObject({ code: 'offline' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('rejects a request that gets no answer in time with the timeout code', async () => {
    const server = await aServer({ onRequest: () => {} });
    const link = aLink(server);
    link.start();
    await online(link);
    await expect(link.request({ type: 'request', session: 's', action: { kind: 'pickup' } }, 50)).rejects.toMatchObject({
      code: 'timeout',
    });
  });

  it('reconnects after the server drops the socket and fails what was in flight with offline', async () => {
    const server = await aServer({ onRequest: () => {} });
    const link = aLink(server);
    const seen: string[] = [];
    link.on('online', () => seen.push('online')).on('offline', () => seen.push('offline'));
    link.start();
    await online(link);
    const inFlight = link.request({ type: 'request', session: 's', action: { kind: 'pickup' } });
    await server.next((m) => m.type === 'request');
    server.dropConnection();
    await expect(inFlight).rejects.toMatchObject({ code: 'offline' });
    expect(link.online).toBe(false);
    await online(link);
    expect(seen).toEqual(['online', 'offline', 'online']);
    expect(server.connections).toBe(2);
    expect(server.received.filter((m) => m.type === 'hello')).toHaveLength(2);
  });

  it('keeps events while offline and sends them in order after the next welcome', async () => {
    const server = await aServer();
    const link = aLink(server);
    link.start();
    await online(link);
    link.sendEvent({ kind: 'presence_changed', compartment: 1, presence: false });
    await server.next((m) => m.type === 'event');
    server.dropConnection();
    await new Promise<void>((resolve) => link.once('offline', resolve));
    for (const compartment of [2, 3, 4]) link.sendEvent({ kind: 'door_closed', compartment, presence: true });
    expect(link.outboxSize).toBe(3);
    await online(link);
    await server.next((m) => m.type === 'event' && m.event.kind === 'door_closed' && m.event.compartment === 4);
    expect(server.events('door_closed').map((e) => e.compartment)).toEqual([2, 3, 4]);
    expect(link.outboxSize).toBe(0);
    expect(server.invalid).toEqual([]);
  });

  it('says hello without the readings of doors whose events are still queued or that the journal still has to tell', async () => {
    const server = await aServer();
    const four: CompartmentReading[] = [1, 2, 3, 4].map((number) => ({
      number,
      door: 'closed',
      presence: false,
      charging: false,
    }));
    const link = aLink(server, { readings: async () => four });
    link.withholdFromHello(() => [3]);
    link.sendEvent({ kind: 'door_closed', compartment: 2, presence: true });
    link.start();
    await online(link);
    // The reading is the end of the story: the queued door_closed (and the journal, for door 3) tell it first.
    expect((await server.next((m) => m.type === 'hello')) as unknown).toMatchObject({ compartments: [four[0], four[3]] });
    expect(await server.next((m) => m.type === 'event')).toMatchObject({ event: { kind: 'door_closed', compartment: 2 } });
  });

  it('tells the server its journal sequence in each hello (the dashboard backlog), and nothing when it has no journal', async () => {
    const server = await aServer();
    const plain = aLink(server);
    plain.start();
    await online(plain);
    expect(await server.next((m) => m.type === 'hello')).not.toHaveProperty('journalSeq');
    await plain.close();
    const other = await aServer();
    let seq = 41;
    const journaled = aLink(other);
    journaled.reportJournalSeq(() => seq);
    seq = 42; // read when hello is sent, not when reported
    journaled.start();
    await online(journaled);
    expect(await other.next((m) => m.type === 'hello')).toMatchObject({ journalSeq: 42 });
  });

  it('drops the oldest events beyond the outbox limit', async () => {
    const server = await aServer();
    const link = aLink(server, { outboxLimit: 2 });
    for (const compartment of [1, 2, 3]) link.sendEvent({ kind: 'door_closed', compartment, presence: true });
    link.start();
    await online(link);
    await server.next((m) => m.type === 'event' && m.event.kind === 'door_closed' && m.event.compartment === 3);
    expect(server.events('door_closed').map((e) => e.compartment)).toEqual([2, 3]);
  });

  it('measures the round trip with ping', async () => {
    const server = await aServer();
    const link = aLink(server);
    link.start();
    await online(link);
    const ms = await link.ping();
    expect(ms).toBeGreaterThan(0);
  });

  it('drops invalid server messages with a warning and keeps working', async () => {
    const server = await aServer();
    const logger = capturedLogger();
    const link = aLink(server, { logger });
    link.start();
    await online(link);
    server.sendRaw('not json');
    server.sendRaw(JSON.stringify({ v: 1, id: 'x', type: 'unlock', compartment: 'seven' }));
    server.sendRaw(JSON.stringify({ v: 2, id: 'y', type: 'pong', re: 'z' }));
    await link.ping();
    expect(logger.lines.filter((l) => l.msg === 'dropped an invalid message from the server')).toHaveLength(3);
    expect(link.online).toBe(true);
  });

  it('drops the socket and tries again when the server never welcomes', async () => {
    const server = await aServer({ welcome: false });
    const link = aLink(server, { welcomeTimeoutMs: 50 });
    link.start();
    await server.next((m) => m.type === 'hello');
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(server.connections).toBeGreaterThanOrEqual(2);
    expect(link.online).toBe(false);
  });

  it('keeps retrying a server that refuses its token, and never logs the token', async () => {
    const server = await aServer({ token: 'the-right-token' });
    const logger = capturedLogger();
    const link = aLink(server, { logger });
    link.start();
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(server.authorizations.length).toBeGreaterThanOrEqual(2);
    expect(link.online).toBe(false);
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.text()).toContain('401');
    expect(logger.text()).not.toContain(token);
  });
});

describe('linkUrl', () => {
  it.each([
    ['http://cubby.school.org', 'ws://cubby.school.org/station/link'],
    ['https://cubby.school.org/', 'wss://cubby.school.org/station/link'],
    ['https://district.org/cubby/', 'wss://district.org/cubby/station/link'],
    ['ws://127.0.0.1:3000', 'ws://127.0.0.1:3000/station/link'],
  ])('%s links to %s', (serverUrl, expected) => {
    expect(linkUrl(serverUrl).toString()).toBe(expected);
  });

  it('refuses a scheme that is not http(s) or ws(s)', () => {
    expect(() => linkUrl('ftp://example.org')).toThrow(RangeError);
  });
});
