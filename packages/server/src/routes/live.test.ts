import { testDialects } from '@cubby/db/testing';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anApiToken, anAssignedDevice, aRepairReadyForPickup, aSite, aStation, aStudent } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { StationDouble } from '../testing/station-double.js';
import { aUser, signIn, type Browser } from '../testing/users.js';
import { LiveFeed, openLiveStreams } from './live.js';

type LiveEvent = Record<string, unknown> & { type: string };
/** One message as it came: its id, its SSE event name and its data. */
type LiveMessage = { id: string | undefined; name: string; data: Record<string, unknown> };

/** A real HTTP client of the live stream: collects its events and comment lines. */
class LiveClient {
  readonly events: LiveEvent[] = [];
  readonly comments: string[] = [];
  readonly messages: LiveMessage[] = [];
  /** The last event id the server gave (what a browser would send back as Last-Event-ID). */
  lastId: string | undefined;
  status = 0;
  contentType = '';
  #buffer = '';
  #request: http.ClientRequest | undefined;
  #waiters: { match: (e: LiveEvent) => boolean; resolve: (e: LiveEvent) => void }[] = [];

  /** `token`: an API token, or a signed-in user's headers (their session cookie); `path` may carry a forged query. */
  static open(
    url: string,
    token: string | Record<string, string>,
    lastEventId?: string,
    path = '/api/v1/live',
  ): Promise<LiveClient> {
    const client = new LiveClient();
    const resume = lastEventId === undefined ? {} : { 'last-event-id': lastEventId };
    const auth = typeof token === 'string' ? { authorization: `Bearer ${token}` } : token;
    return new Promise((resolve, reject) => {
      client.#request = http.get(`${url}${path}`, { headers: { ...auth, accept: 'text/event-stream', ...resume } }, (res) => {
        client.status = res.statusCode ?? 0;
        client.contentType = String(res.headers['content-type'] ?? '');
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          client.#read(chunk);
          // Ready once the server said it is connected.
          if (client.comments.includes('connected')) resolve(client);
        });
        res.on('error', () => {});
        if (client.status !== 200) resolve(client);
      });
      client.#request.on('error', reject);
    });
  }

  #read(chunk: string) {
    this.#buffer += chunk;
    let end: number;
    while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let name = 'message';
      let id: string | undefined;
      for (const line of block.split('\n')) {
        if (line.startsWith(': ')) this.comments.push(line.slice(2));
        if (line.startsWith('event: ')) name = line.slice(7);
        if (line.startsWith('id: ')) id = this.lastId = line.slice(4);
        if (line.startsWith('data: ') && name !== 'change') {
          this.messages.push({ id, name, data: JSON.parse(line.slice(6)) as Record<string, unknown> });
        } else if (line.startsWith('data: ')) {
          const event = JSON.parse(line.slice(6)) as LiveEvent;
          this.messages.push({ id, name, data: event });
          this.events.push(event);
          const waiter = this.#waiters.find((w) => w.match(event));
          if (waiter) {
            this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
            waiter.resolve(event);
          }
        }
      }
    }
  }

  next(match: (e: LiveEvent) => boolean, timeoutMs = 5000): Promise<LiveEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no such live event arrived')), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e);
        },
      });
    });
  }

  close() {
    this.#request?.destroy();
  }
}

describe.each(testDialects)('the live stream on %s', (dialect) => {
  let s: StationScenario;
  let siteB: string;
  let linkB: StationDouble;
  let stationB: string;
  const clients: LiveClient[] = [];
  let a: LiveClient;
  let b: LiveClient;
  let district: LiveClient;
  let tokenA: string;
  let tokenDistrict: string;

  beforeAll(async () => {
    s = await aStationScenario(dialect);
    siteB = await aSite(s.server.cubby, s.districtId, { name: 'Oak Middle' });
    const station = await aStation(s.server.cubby, siteB, { name: 'Oak Library', compartments: 2 });
    stationB = station.stationId;
    tokenA = await anApiToken(s.server.cubby, 'a', { scopes: ['fleet:read'], siteIds: [s.siteId] });
    const tokenB = await anApiToken(s.server.cubby, 'b', { scopes: ['fleet:read', 'people:read'], siteIds: [siteB] });
    tokenDistrict = await anApiToken(s.server.cubby, 'district', { scopes: ['fleet:read', 'people:read'] });
    for (const token of [tokenA, tokenB, tokenDistrict]) clients.push(await LiveClient.open(s.server.url, token));
    [a, b, district] = clients as [LiveClient, LiveClient, LiveClient];
    linkB = await StationDouble.connect(s.server.url, station.token);
    await linkB.hello();
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    linkB?.close();
    await s?.close();
  });

  it('answers as an event stream', () => {
    expect(a.status).toBe(200);
    expect(a.contentType).toMatch(/^text\/event-stream/);
  });

  it('a station event reaches a client of its campus, with its campus and the publish time; not a client of another campus', async () => {
    const before = Date.now();
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_left_open', compartment: 4, openForMs: 90_000 } });
    const alert = await a.next((e) => e.type === 'alert.raised');
    expect(alert).toMatchObject({
      type: 'alert.raised',
      stationId: s.station.stationId,
      siteId: s.siteId,
      kind: 'door_left_open',
      compartmentNumber: 4,
    });
    expect(alert.at).toBeGreaterThanOrEqual(before);
    expect(alert.at).toBeLessThanOrEqual(Date.now());
    await district.next((e) => e.type === 'alert.raised' && e.stationId === s.station.stationId);

    // Events reach each client in publish order: once campus B's client has its own later alert, it would have had A's.
    linkB.send({ type: 'event', at: Date.now(), event: { kind: 'door_left_open', compartment: 1, openForMs: 90_000 } });
    expect(await b.next((e) => e.type === 'alert.raised')).toMatchObject({ stationId: stationB, siteId: siteB });
    expect(b.events.some((e) => e.stationId === s.station.stationId)).toBe(false);
    await district.next((e) => e.type === 'alert.raised' && e.stationId === stationB);
    expect(a.events.some((e) => e.stationId === stationB)).toBe(false);
  });

  it('station connections are announced; person ids leave only with people:read', async () => {
    await s.borrowed();
    const started = await a.next((e) => e.type === 'loan.started');
    expect(started).not.toHaveProperty('personId');
    expect(started).toMatchObject({ stationId: s.station.stationId, deviceId: expect.any(String), loanId: expect.any(String) });
    expect(await district.next((e) => e.type === 'loan.started')).toMatchObject({ personId: s.student.personId });
    await a.next((e) => e.type === 'compartment.changed' && e.stationId === s.station.stationId);
    await a.next((e) => e.type === 'transaction.updated');

    linkB.close();
    expect(b.events[0]).toMatchObject({ type: 'station.connection', stationId: stationB, connected: true, siteId: siteB });
    expect(await b.next((e) => e.type === 'station.connection' && e.connected === false)).toMatchObject({
      stationId: stationB,
      siteId: siteB,
    });
    // Commands to stations never leave the server.
    expect([...a.events, ...b.events, ...district.events].some((e) => e.type === 'station.command')).toBe(false);
  });

  it('a closed client is forgotten', async () => {
    const open = openLiveStreams(s.server.services.bus);
    expect(open).toBeGreaterThanOrEqual(3);
    a.close();
    await expect.poll(() => openLiveStreams(s.server.services.bus)).toBe(open - 1);
  });

  /** An alert published as committed, straight on the bus (the stream's source). */
  function anAlert(stationId: string, compartmentNumber: number) {
    s.server.services.bus.publish([
      { type: 'alert.raised', alertId: `alert-${compartmentNumber}`, kind: 'door_left_open', stationId, compartmentNumber },
    ]);
  }
  const alertAt = (stationId: string, n: number) => (e: LiveEvent) =>
    e.type === 'alert.raised' && e.stationId === stationId && e.compartmentNumber === n;

  it('a client that reconnects with Last-Event-ID gets what it missed, in order, still filtered to its campuses', async () => {
    const first = await LiveClient.open(s.server.url, tokenA);
    clients.push(first);
    anAlert(s.station.stationId, 11);
    await first.next(alertAt(s.station.stationId, 11));
    const seen = first.lastId!;
    expect(first.messages.at(-1)).toMatchObject({ id: seen, name: 'change' });
    first.close();

    // While it is away: two alerts at its campus, one at another, and a loan with a person id.
    anAlert(s.station.stationId, 12);
    anAlert(stationB, 1);
    s.server.services.bus.publish([
      { type: 'loan.started', loanId: 'l-1', stationId: s.station.stationId, personId: s.student.personId, deviceId: 'd-1' },
    ]);
    anAlert(s.station.stationId, 13);

    const again = await LiveClient.open(s.server.url, tokenA, seen);
    clients.push(again);
    await again.next(alertAt(s.station.stationId, 13));
    anAlert(s.station.stationId, 14);
    await again.next(alertAt(s.station.stationId, 14));
    expect(again.events.map((e) => [e.type, e.compartmentNumber ?? null])).toEqual([
      ['alert.raised', 12],
      ['loan.started', null],
      ['alert.raised', 13],
      ['alert.raised', 14],
    ]);
    expect(again.events[1]).not.toHaveProperty('personId');
    expect(again.messages.some((m) => m.name === 'reset')).toBe(false);
    // Ids grow with each event, so the browser's Last-Event-ID always points at the latest one.
    const seqs = again.messages.map((m) => Number(m.id!.split('-').at(-1)));
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs[0]).toBeGreaterThan(Number(seen.split('-').at(-1)));
  });

  it('a fresh client is given the current id at once, so a reconnect before its first event still misses nothing', async () => {
    const fresh = await LiveClient.open(s.server.url, tokenDistrict);
    clients.push(fresh);
    const cursor = fresh.lastId!;
    expect(cursor).toMatch(/-\d+$/);
    fresh.close();
    anAlert(s.station.stationId, 21);
    const again = await LiveClient.open(s.server.url, tokenDistrict, cursor);
    clients.push(again);
    await again.next(alertAt(s.station.stationId, 21));
    expect(again.events.filter((e) => e.type === 'alert.raised').map((e) => e.compartmentNumber)).toEqual([21]);
  });

  it('a reconnect beyond the events held, or with an id of another server run, starts with a reset; the reset id resumes', async () => {
    const fresh = await LiveClient.open(s.server.url, tokenDistrict);
    clients.push(fresh);
    const old = fresh.lastId!;
    fresh.close();
    for (let n = 0; n < 1001; n++) anAlert(s.station.stationId, 100 + n);

    for (const lastEventId of [old, 'another-run-12', 'garbage']) {
      const back = await LiveClient.open(s.server.url, tokenDistrict, lastEventId);
      clients.push(back);
      anAlert(s.station.stationId, 31);
      await back.next(alertAt(s.station.stationId, 31));
      // Nothing old is replayed: the reset, then what happened after it.
      expect(back.messages.map((m) => m.name)).toEqual(['reset', 'change']);
      expect(back.messages[0]!.data).toEqual({ at: expect.any(Number) });
      back.close();

      const resumed = await LiveClient.open(s.server.url, tokenDistrict, back.messages[0]!.id);
      clients.push(resumed);
      anAlert(s.station.stationId, 32);
      await resumed.next(alertAt(s.station.stationId, 32));
      // Resuming from the reset id replays the one event after it, then the live one.
      expect(resumed.messages.map((m) => [m.name, m.data.compartmentNumber])).toEqual([
        ['change', 31],
        ['change', 32],
      ]);
      resumed.close();
    }
  });

  it('needs credentials and fleet:read', async () => {
    const none = await fetch(`${s.server.url}/api/v1/live`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const auditor = await anApiToken(s.server.cubby, 'audit only', { scopes: ['audit:read'] });
    expect((await fetch(`${s.server.url}/api/v1/live`, { headers: { authorization: `Bearer ${auditor}` } })).status).toBe(403);
  });
});

describe('the replay buffer', () => {
  const anEvent = (n: number) =>
    ({ type: 'alert.raised', alertId: `a${n}`, kind: 'door_left_open', stationId: 's', compartmentNumber: n }) as const;

  it('gives the events after an id it holds, nothing after the latest, and null once the next one is dropped', () => {
    const feed = new LiveFeed(3);
    const start = feed.lastId;
    const ids = [1, 2, 3, 4].map((n) => feed.idOf(feed.add(anEvent(n), n)));
    // Holds 2, 3, 4: resuming after 1 still misses nothing; after the start (before 1) it would.
    expect(feed.since(start)).toBeNull();
    expect(feed.since(ids[0]!)?.map((e) => e.at)).toEqual([2, 3, 4]);
    expect(feed.since(ids[2]!)?.map((e) => e.at)).toEqual([4]);
    expect(feed.since(ids[3]!)).toEqual([]);
    expect(feed.lastId).toBe(ids[3]);
  });

  it('refuses ids of another feed, from the future, or malformed', () => {
    const feed = new LiveFeed(3);
    const other = new LiveFeed(3);
    const mine = feed.idOf(feed.add(anEvent(1), 1));
    other.add(anEvent(1), 1);
    expect(feed.since(mine)).toEqual([]);
    expect(feed.since(other.lastId)).toBeNull();
    expect(feed.since(mine.replace(/\d+$/, '2'))).toBeNull();
    for (const id of ['', '-', '1', `${mine}x`, mine.replace(/\d+$/, '-1'), mine.replace(/\d+$/, '0.5')])
      expect(feed.since(id)).toBeNull();
  });
});

/**
 * Repair tickets on the live stream (issue 14): a change from the dashboard
 * or from a kiosk reaches the board of the ticket's campus, and a campus
 * technician hears of their campus only, whatever the subscription asks.
 */
describe.each(testDialects)('repair ticket changes on the live stream on %s', (dialect) => {
  let s: StationScenario;
  let north: string;
  let northStation: string;
  let admin: Browser;
  let techMain: LiveClient;
  let techNorth: LiveClient;
  let forged: LiveClient;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    north = await aSite(s.server.cubby, s.districtId, { name: 'North Middle' });
    northStation = (await aStation(s.server.cubby, north, { name: 'North Library', compartments: 2 })).stationId;
    admin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'district_admin' }));
    const main = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'technician', siteIds: [s.siteId] }));
    const northTech = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'technician', siteIds: [north] }));
    techMain = await LiveClient.open(s.server.url, main.headers);
    techNorth = await LiveClient.open(s.server.url, northTech.headers);
    // The stream takes no campus from its caller: a query naming another campus changes nothing.
    forged = await LiveClient.open(
      s.server.url,
      northTech.headers,
      undefined,
      `/api/v1/live?siteId=${s.siteId}&siteIds=${s.siteId}`,
    );
    clients.push(techMain, techNorth, forged);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await s?.close();
  });

  const send = (method: 'POST' | 'PATCH', url: string, payload: object) =>
    s.server.app.inject({ method, url, headers: admin.headers, payload });
  /** A device of a new student at a campus, in service. */
  async function aDeviceAt(siteId: string) {
    const owner = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { siteId });
    const { deviceId } = await anAssignedDevice(s.server.cubby, s.districtId, owner.personId);
    await s.server.cubby.db.updateTable('devices').set({ site_id: siteId }).where('id', '=', deviceId).execute();
    return deviceId;
  }
  const aboutTicket = (ticketId: string, status?: string) => (e: LiveEvent) =>
    e.type === 'repair.changed' && e.ticketId === ticketId && (status === undefined || e.status === status);
  /** Something the north clients do hear, published after the change: once it arrives, the change would have too. */
  async function northHeardSince(n: number) {
    s.server.services.bus.publish([
      { type: 'alert.raised', alertId: `a-${n}`, kind: 'door_left_open', stationId: northStation, compartmentNumber: n },
    ]);
    for (const c of [techNorth, forged]) await c.next((e) => e.type === 'alert.raised' && e.compartmentNumber === n);
  }

  it("a ticket opened, moved and edited on the dashboard reaches its campus's technician; not another campus's, forged query or not", async () => {
    const deviceId = await aDeviceAt(s.siteId);
    const opened = await send('POST', '/api/v1/repairs', { deviceId, symptom: 'screen' });
    expect(opened.statusCode).toBe(201);
    const ticketId = opened.json<{ id: string }>().id;
    expect(await techMain.next(aboutTicket(ticketId, 'collected'))).toMatchObject({
      type: 'repair.changed',
      ticketId,
      deviceId,
      status: 'collected',
      siteId: s.siteId,
    });
    expect((await send('POST', `/api/v1/repairs/${ticketId}/move`, { event: 'repair_started' })).statusCode).toBe(200);
    await techMain.next(aboutTicket(ticketId, 'in_repair'));
    expect((await send('PATCH', `/api/v1/repairs/${ticketId}`, { notes: 'new screen ordered' })).statusCode).toBe(200);
    await expect.poll(() => techMain.events.filter(aboutTicket(ticketId)).length).toBe(3);

    await northHeardSince(1);
    for (const c of [techNorth, forged]) expect(c.events.filter((e) => e.type === 'repair.changed')).toEqual([]);
  });

  it("a pickup at the kiosk reaches the ticket's campus", async () => {
    const waiting = await aRepairReadyForPickup(s.server.cubby, s.districtId, s.student.personId, s.station.compartments[4]!.id);
    await s.server.cubby.db.updateTable('devices').set({ site_id: s.siteId }).where('id', '=', waiting.deviceId).execute();
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'pickup' });
    await s.useDoor(5, false);
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    expect(await techMain.next(aboutTicket(waiting.ticketId, 'closed'))).toMatchObject({
      deviceId: waiting.deviceId,
      siteId: s.siteId,
    });
    await northHeardSince(2);
    for (const c of [techNorth, forged]) expect(c.events.some(aboutTicket(waiting.ticketId))).toBe(false);
  });

  it("a north ticket's change reaches the north technician and not the main campus's", async () => {
    const deviceId = await aDeviceAt(north);
    const ticketId = (await send('POST', '/api/v1/repairs', { deviceId, symptom: 'battery' })).json<{ id: string }>().id;
    expect(await techNorth.next(aboutTicket(ticketId))).toMatchObject({ siteId: north, status: 'collected' });
    // Published after: once the main technician hears it, the north ticket would have arrived before.
    s.server.services.bus.publish([
      { type: 'alert.raised', alertId: 'a-main', kind: 'door_left_open', stationId: s.station.stationId, compartmentNumber: 3 },
    ]);
    await techMain.next((e) => e.type === 'alert.raised' && e.compartmentNumber === 3);
    expect(techMain.events.some(aboutTicket(ticketId))).toBe(false);
  });
});
