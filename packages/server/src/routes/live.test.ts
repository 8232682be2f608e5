import { testDialects } from '@cubby/db/testing';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anApiToken, aSite, aStation } from '../testing/builders.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { StationDouble } from '../testing/station-double.js';
import { openLiveStreams } from './live.js';

type LiveEvent = Record<string, unknown> & { type: string };

/** A real HTTP client of the live stream: collects its events and comment lines. */
class LiveClient {
  readonly events: LiveEvent[] = [];
  readonly comments: string[] = [];
  status = 0;
  contentType = '';
  #buffer = '';
  #request: http.ClientRequest | undefined;
  #waiters: { match: (e: LiveEvent) => boolean; resolve: (e: LiveEvent) => void }[] = [];

  static open(url: string, token: string): Promise<LiveClient> {
    const client = new LiveClient();
    return new Promise((resolve, reject) => {
      client.#request = http.get(
        `${url}/api/v1/live`,
        { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
        (res) => {
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
        },
      );
      client.#request.on('error', reject);
    });
  }

  #read(chunk: string) {
    this.#buffer += chunk;
    let end: number;
    while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      for (const line of block.split('\n')) {
        if (line.startsWith(': ')) this.comments.push(line.slice(2));
        if (line.startsWith('data: ')) {
          const event = JSON.parse(line.slice(6)) as LiveEvent;
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

  beforeAll(async () => {
    s = await aStationScenario(dialect);
    siteB = await aSite(s.server.cubby, s.districtId, { name: 'Oak Middle' });
    const station = await aStation(s.server.cubby, siteB, { name: 'Oak Library', compartments: 2 });
    stationB = station.stationId;
    const tokenA = await anApiToken(s.server.cubby, 'a', { scopes: ['fleet:read'], siteIds: [s.siteId] });
    const tokenB = await anApiToken(s.server.cubby, 'b', { scopes: ['fleet:read', 'people:read'], siteIds: [siteB] });
    const tokenDistrict = await anApiToken(s.server.cubby, 'district', { scopes: ['fleet:read', 'people:read'] });
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

  it('needs credentials and fleet:read', async () => {
    const none = await fetch(`${s.server.url}/api/v1/live`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const auditor = await anApiToken(s.server.cubby, 'audit only', { scopes: ['audit:read'] });
    expect((await fetch(`${s.server.url}/api/v1/live`, { headers: { authorization: `Bearer ${auditor}` } })).status).toBe(403);
  });
});
