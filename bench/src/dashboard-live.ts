/**
 * Event → browser latency: many open dashboards (plain HTTP clients reading
 * the Server-Sent Events stream of GET /api/v1/live), and real changes made
 * by simulated stations opening and closing empty doors. Each event carries
 * `at`, the server's publish time; the client compares it with its own clock
 * (same machine) when the event has been read off the socket. The stations
 * are real station agents (link, agent) over a simulated bank, as in the kiosk
 * benchmark; a door is forced open and closed again as a technician's key would.
 */
import { request, type ClientRequest } from 'node:http';
import { SimBank, silentLogger, startStation, type RunningStation } from '@cubby/station';
import { stationToken } from './dashboard-district.js';
import { sleep } from './stats.js';

export interface LiveResult {
  clients: number;
  triggered: number;
  /** publish → received, one figure per (event, client). */
  latencies: number[];
  missing: number;
}

interface Dashboard {
  request: ClientRequest;
  received: Map<string, number>;
}

/** Opens one SSE stream; resolves once the server answered 200, rejects with the status otherwise. */
function openDashboard(baseUrl: string, token: string): Promise<Dashboard> {
  return new Promise((resolve, reject) => {
    const received = new Map<string, number>();
    const req = request(
      `${baseUrl}/api/v1/live`,
      { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, agent: false },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          reject(Object.assign(new Error(`GET /api/v1/live answered ${res.statusCode}`), { status: res.statusCode }));
          return;
        }
        res.setEncoding('utf8');
        let buffer = '';
        res.on('data', (chunk: string) => {
          const now = Date.now();
          buffer += chunk;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data:'))
              .map((line) => line.slice(5).trimStart())
              .join('\n');
            if (!data) continue; // a comment (keep-alive) or an event without data
            const event = JSON.parse(data) as { type: string; at: number; compartmentId?: string; status?: string };
            if (event.type === 'compartment.changed')
              received.set(`${event.compartmentId}:${event.status}:${event.at}`, now - event.at);
          }
        });
        resolve({ request: req, received });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A station to drive: its place in the seeded district and its compartments as the database has them. */
export interface LiveStation {
  index: number;
  compartments: { number: number; presence: boolean; empty: boolean }[];
}

interface DrivenStation {
  running: RunningStation;
  bank: SimBank;
  empties: number[];
}

async function startDrivenStation(baseUrl: string, spec: LiveStation): Promise<DrivenStation> {
  const bank = new SimBank({
    compartments: spec.compartments.map((c) => ({
      number: c.number,
      hasCharger: true,
      ...(c.presence ? { device: { battery: 90 } } : {}),
    })),
  });
  const running = await startStation({
    serverUrl: baseUrl,
    token: stationToken(spec.index),
    driver: bank,
    kioskPort: 0,
    logger: silentLogger,
  });
  return { running, bank, empties: spec.compartments.filter((c) => c.empty).map((c) => c.number) };
}

/**
 * Opens `clients` dashboards, then makes `events` compartment changes (an
 * empty door forced open, then closed empty again, so the district ends as
 * it began) at `perSecond`, spread over the given stations.
 */
export async function measureLive(
  baseUrl: string,
  token: string,
  specs: LiveStation[],
  options: { clients: number; events: number; perSecond: number },
): Promise<LiveResult | { unavailable: number }> {
  const dashboards: Dashboard[] = [];
  const stations: DrivenStation[] = [];
  try {
    try {
      dashboards.push(await openDashboard(baseUrl, token));
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status !== undefined) return { unavailable: status };
      throw error;
    }
    for (let i = 1; i < options.clients; i++) dashboards.push(await openDashboard(baseUrl, token));
    for (const spec of specs) stations.push(await startDrivenStation(baseUrl, spec));
    const deadline = Date.now() + 30_000;
    while (stations.some((s) => !s.running.link.online)) {
      if (Date.now() > deadline) throw new Error('stations did not come online');
      await sleep(50);
    }
    await sleep(1000); // the connection events pass before the measured ones
    for (const d of dashboards) d.received.clear();
    const interval = 1000 / options.perSecond;
    const started = performance.now();
    let triggered = 0;
    for (let n = 0; triggered < options.events; n++) {
      const station = stations[n % stations.length]!;
      const compartment = station.empties[Math.floor(n / stations.length) % station.empties.length]!;
      for (const move of [() => station.bank.forceOpen(compartment), () => station.bank.closeDoor(compartment)]) {
        await sleep(Math.max(0, started + triggered * interval - performance.now()));
        move();
        triggered++;
      }
    }
    const until = Date.now() + 10_000;
    while (dashboards.some((d) => d.received.size < triggered) && Date.now() < until) await sleep(50);
    const latencies = dashboards.flatMap((d) => [...d.received.values()]);
    return { clients: dashboards.length, triggered, latencies, missing: triggered * dashboards.length - latencies.length };
  } finally {
    for (const station of stations) await station.running.close();
    for (const d of dashboards) d.request.destroy();
  }
}
