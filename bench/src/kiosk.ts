/**
 * Kiosk benchmark: simulated stations drive borrow + return flows through the
 * real station link and server process, against PostgreSQL then SQLite.
 *
 *   npm run bench:kiosk            (BENCH_SECONDS=10 BENCH_STATIONS=100 by default)
 *
 * Prints flows/s at saturation, p50/p99 request→unlock latency at a steady
 * 200 flows/s offered load, and two floors measured in the same run: the raw
 * database rate for the same kind of write transaction, and the p99 of a no-op
 * ping round trip on the same links at the same load.
 */
import { inTransaction, newId, type CubbyDb, type Dialect } from '@cubby/db';
import { SimAutopilot, SimBank, silentLogger, startStation, type RunningStation } from '@cubby/station';
import { benchDatabase, openBenchDb, seedBenchDistrict, startServerProcess, type BenchStation } from './fixture.js';
import { percentile, round, sleep } from './stats.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const stationCount = Number(process.env.BENCH_STATIONS ?? 100);
const offeredFlowsPerSecond = Number(process.env.BENCH_OFFERED ?? 200);
const dialects = (process.env.BENCH_DBS ?? 'postgres,sqlite').split(',') as Dialect[];

interface SimStation {
  running: RunningStation;
  bank: SimBank;
  autopilot: SimAutopilot;
  spec: BenchStation;
  nextBadge: number;
}

async function startSimStations(serverUrl: string, specs: BenchStation[]): Promise<SimStation[]> {
  const out: SimStation[] = [];
  for (const spec of specs) {
    const bank = new SimBank({
      compartments: Array.from({ length: spec.compartments }, (_, i) => ({
        number: i + 1,
        hasCharger: true,
        ...(spec.loaded.includes(i + 1) ? { device: { battery: 90 } } : {}),
      })),
    });
    const running = await startStation({
      serverUrl,
      token: spec.token,
      driver: bank,
      kioskPort: 0,
      logger: silentLogger,
      requestTimeoutMs: 30_000,
    });
    const autopilot = new SimAutopilot(running.agent, bank, { actDelayMs: 0 });
    out.push({ running, bank, autopilot, spec, nextBadge: 0 });
  }
  const deadline = Date.now() + 30_000;
  while (out.some((s) => !s.running.link.online)) {
    if (Date.now() > deadline) throw new Error('stations did not come online');
    await sleep(50);
  }
  return out;
}

/** One borrow + return at a station; returns the two request→unlock latencies in ms. */
async function flow(station: SimStation): Promise<number[]> {
  const { agent, link } = station.running;
  const badge = station.spec.badges[station.nextBadge++ % station.spec.badges.length]!;
  const latencies: number[] = [];
  for (const action of [{ kind: 'borrow', reason: 'forgotten' } as const, { kind: 'return' } as const]) {
    await agent.signIn({ badge });
    const unlocked = new Promise<number>((resolve) => link.once('unlock', () => resolve(performance.now())));
    const sent = performance.now();
    const result = await agent.act(action);
    latencies.push((await unlocked) - sent);
    const id = result.transaction!.id;
    const end = await agent.waitForTransaction(id, (t) => t.status !== 'in_progress', 30_000);
    if (end.status !== 'completed') throw new Error(`${action.kind} ended ${end.status}: ${JSON.stringify(end.error)}`);
  }
  agent.signOut();
  return latencies;
}

async function saturation(stations: SimStation[]): Promise<number> {
  let flows = 0;
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    stations.map(async (s) => {
      while (performance.now() < until) {
        await flow(s);
        flows++;
      }
    }),
  );
  return flows / ((performance.now() - start) / 1000);
}

/** Each station starts a flow on a fixed schedule (open loop), so the offered load is steady. */
async function steadyLoad(stations: SimStation[], flowsPerSecond: number): Promise<{ unlock: number[]; ping: number[] }> {
  const unlock: number[] = [];
  const ping: number[] = [];
  const intervalMs = (stations.length / flowsPerSecond) * 1000;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    stations.map(async (s, i) => {
      await sleep((i / stations.length) * intervalMs);
      const pending: Promise<void>[] = [];
      while (performance.now() < until) {
        const started = performance.now();
        // A no-op round trip on the same link, at the same load: the floor for latency.
        pending.push(s.running.link.ping().then((ms) => void ping.push(ms)));
        await flow(s).then((l) => void unlock.push(...l));
        await sleep(Math.max(0, intervalMs - (performance.now() - started)));
      }
      await Promise.all(pending);
    }),
  );
  return { unlock, ping };
}

/** The same kind of write a kiosk step makes (compartment + device + audit, one transaction), straight to the database. */
async function databaseFloor(cubby: CubbyDb): Promise<number> {
  const rows = await cubby.db
    .selectFrom('compartments')
    .select(['id', 'device_id'])
    .where('device_id', 'is not', null)
    .limit(50)
    .execute();
  const until = performance.now() + Math.min(seconds, 5) * 1000;
  const start = performance.now();
  let count = 0;
  const workers = cubby.dialect === 'postgres' ? 8 : 1;
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      let i = w;
      while (performance.now() < until) {
        const row = rows[i++ % rows.length]!;
        await inTransaction(cubby, async (tx) => {
          await tx.db
            .updateTable('compartments')
            .set({ status: 'loaded', updated_at: tx.now })
            .where('id', '=', row.id)
            .execute();
          await tx.db
            .updateTable('devices')
            .set({ status: 'available', updated_at: tx.now })
            .where('id', '=', row.device_id!)
            .execute();
          tx.audit({
            actorType: 'system',
            actorId: null,
            action: 'bench.floor',
            entityType: 'compartment',
            entityId: row.id,
            transactionId: newId(),
          });
        });
        count++;
      }
    }),
  );
  return count / ((performance.now() - start) / 1000);
}

async function benchOne(dialect: Dialect) {
  const database = await benchDatabase(dialect);
  try {
    const cubby = await openBenchDb(database.url);
    const district = await seedBenchDistrict(cubby, stationCount);
    const floorDb = await databaseFloor(cubby);
    await cubby.close();
    const server = await startServerProcess(database.url);
    const stations = await startSimStations(server.url, district.stations);
    try {
      await steadyLoad(stations.slice(0, 10), 20); // warm-up: JIT, statement caches, pools
      const steady = await steadyLoad(stations, offeredFlowsPerSecond);
      const flowsPerSecond = await saturation(stations);
      const figures = {
        bench: 'kiosk',
        db: dialect,
        stations: stationCount,
        flows_per_s: round(flowsPerSecond),
        p50_unlock_ms: round(percentile(steady.unlock, 50), 2),
        p99_unlock_ms: round(percentile(steady.unlock, 99), 2),
        floor_db_tx_per_s: round(floorDb),
        floor_roundtrip_p99_ms: round(percentile(steady.ping, 99), 2),
      };
      console.log(
        `${dialect}: ${figures.flows_per_s} flows/s at saturation (each flow = 6 write transactions → ${round((flowsPerSecond * 6) / floorDb, 2)}× the raw database floor of ${figures.floor_db_tx_per_s} tx/s); ` +
          `request→unlock p50 ${figures.p50_unlock_ms} ms, p99 ${figures.p99_unlock_ms} ms at ${offeredFlowsPerSecond} flows/s offered (${steady.unlock.length} unlocks); ` +
          `ping round trip p99 ${figures.floor_roundtrip_p99_ms} ms`,
      );
      return figures;
    } finally {
      for (const s of stations) {
        s.autopilot.stop();
        await s.running.close();
      }
      await server.stop();
    }
  } finally {
    database.stop();
  }
}

const results = [];
for (const dialect of dialects) results.push(await benchOne(dialect));
for (const r of results) console.log(JSON.stringify(r));
