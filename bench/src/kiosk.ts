/**
 * Kiosk benchmark: simulated stations drive borrow + return flows through the
 * real station link and server process, against PostgreSQL then SQLite.
 *
 *   npm run bench:kiosk     (BENCH_SECONDS=10 BENCH_STATIONS=100 BENCH_DBS=postgres,sqlite by default)
 *
 * Per database: flows/s at saturation; p50/p99 request→unlock at a steady
 * offered load of half that (BENCH_OFFERED=<flows/s> overrides); the p99 of a
 * no-op ping on the same links at that load; SQL statements per flow
 * (statement-count.ts); and, after the server has stopped, the raw driver floor
 * and the Kysely + inTransaction floor for a kiosk step's writes (raw-floor.ts).
 * ratio = flows_per_s × 6 / raw_floor_tx_per_s: 6 write transactions per flow,
 * the definition (statement-count.ts counts them on SQLite).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { connect, type Dialect } from '@cubby/db';
import { sql } from 'kysely';
import { cpuSecondsOf, postmasterPid } from './cpu.js';
import { benchDatabase, openBenchDb, seedBenchDistrict, startServerProcess, type BenchDatabase } from './fixture.js';
import { closeSimStations, phaseTimes, saturation, startSimStations, steadyLoad } from './kiosk-flows.js';
import { helperFloor, rawFloor } from './raw-floor.js';
import { countStatements } from './statement-count.js';
import { percentile, round, sleep } from './stats.js';

function positive(name: string, fallback: number, orZero = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !orZero))
    throw new Error(`${name} must be a ${orZero ? 'non-negative' : 'positive'} number, not ${JSON.stringify(raw)}`);
  return n;
}

const seconds = positive('BENCH_SECONDS', 10);
const stationCount = Math.round(positive('BENCH_STATIONS', 100));
const offeredOverride = process.env.BENCH_OFFERED ? positive('BENCH_OFFERED', 0) : undefined;
/** Pause after saturation, so the policy snapshots it scheduled (5 s after each station's first change, all at once) go out before the steady phase. */
const settleSeconds = positive('BENCH_SETTLE_SECONDS', 6, true);
const floorSeconds = positive('BENCH_FLOOR_SECONDS', Math.min(seconds, 5));
const countedFlows = Math.round(positive('BENCH_COUNT_FLOWS', 20));
/** A directory: the counted flows' statements go to statements-<db>.log there. */
const statementsLog = process.env.BENCH_STATEMENTS_LOG;
const writeTransactionsPerFlow = 6;
const dialects = (process.env.BENCH_DBS ?? 'postgres,sqlite').split(',').map((d) => d.trim());
for (const d of dialects)
  if (d !== 'postgres' && d !== 'sqlite') throw new Error(`BENCH_DBS: unknown database ${JSON.stringify(d)} (postgres, sqlite)`);

const load = () => loadavg().map((n) => round(n, 2));

async function phase<T>(dialect: Dialect, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw new Error(`${dialect}: ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

/** The server in its own process, 100 stations: saturation, then the steady phase at half of it. */
async function underLoad(
  dialect: Dialect,
  database: BenchDatabase,
  stations: Awaited<ReturnType<typeof seedBenchDistrict>>['stations'],
) {
  const url = database.url;
  const server = await phase(dialect, 'starting the server', () => startServerProcess(url));
  try {
    const sims = await phase(dialect, 'starting stations', () => startSimStations(server.url, stations));
    try {
      await phase(dialect, 'warm-up', () => steadyLoad(sims.slice(0, 10), 20, seconds)); // JIT, statement caches, pools
      for (const key of Object.keys(phaseTimes)) delete phaseTimes[key];
      const postmaster = database.cluster ? postmasterPid(join(database.cluster.dir, 'data')) : undefined;
      const cpu = () => ({
        server: cpuSecondsOf(server.child.pid!),
        stations: process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6,
        database: postmaster ? cpuSecondsOf(postmaster, true) : 0,
      });
      const cpuBefore = cpu();
      const flows = await phase(dialect, 'saturation', () => saturation(sims, seconds));
      const flowsPerSecond = flows.perSecond;
      const cpuAfter = cpu();
      const cpuMsPerFlow = {
        server: round(((cpuAfter.server - cpuBefore.server) * 1000) / flows.count, 2),
        stations: round(((cpuAfter.stations - cpuBefore.stations) * 1000) / flows.count, 2),
        database: round(((cpuAfter.database - cpuBefore.database) * 1000) / flows.count, 2),
      };
      if (process.env.BENCH_PHASES)
        for (const [name, times] of Object.entries(phaseTimes))
          console.log(
            `${dialect}: saturation ${name}: p50 ${round(percentile(times, 50), 1)} ms, p99 ${round(percentile(times, 99), 1)} ms`,
          );
      if (!(flowsPerSecond > 0)) throw new Error(`${dialect}: no flow completed at saturation`);
      const offered = offeredOverride ?? flowsPerSecond / 2;
      await sleep(settleSeconds * 1000);
      const steady = await phase(dialect, `steady load at ${round(offered)} flows/s`, () => steadyLoad(sims, offered, seconds));
      return { flowsPerSecond, offered, steady, cpuMsPerFlow };
    } finally {
      await closeSimStations(sims);
    }
  } finally {
    await server.stop();
  }
}

async function benchOne(dialect: Dialect) {
  const loadBefore = load();
  const database = await phase(dialect, 'starting the database', () => benchDatabase(dialect));
  try {
    const cubby = await openBenchDb(database.url);
    // One station more than the load uses: the statement count runs on it, on a server of its own.
    const district = await phase(dialect, 'seeding', () => seedBenchDistrict(cubby, stationCount + 1));
    await cubby.close();
    const counted = district.stations.pop()!;
    const { flowsPerSecond, offered, steady, cpuMsPerFlow } = await underLoad(dialect, database, district.stations);
    const statements = await phase(dialect, 'counting statements', () =>
      countStatements(
        database.url,
        dialect,
        counted,
        countedFlows,
        statementsLog ? join(statementsLog, `statements-${dialect}.log`) : undefined,
      ),
    );
    const helper = await phase(dialect, 'Kysely + inTransaction floor', () => helperFloor(database.url, floorSeconds));
    const raw = await phase(dialect, 'raw driver floor', () => rawFloor(database.url, floorSeconds));
    const figures = {
      bench: 'kiosk',
      db: dialect,
      stations: stationCount,
      flows_per_s: round(flowsPerSecond),
      offered_flows_per_s: round(offered),
      p50_unlock_ms: round(percentile(steady.unlock, 50), 2),
      p99_unlock_ms: round(percentile(steady.unlock, 99), 2),
      unlocks: steady.unlock.length,
      floor_roundtrip_p99_ms: round(percentile(steady.ping, 99), 2),
      raw_floor_tx_per_s: round(raw),
      helper_floor_tx_per_s: round(helper),
      ratio: round((flowsPerSecond * writeTransactionsPerFlow) / raw, 3),
      cpu_ms_per_flow: cpuMsPerFlow,
      ...statements,
      load_before: loadBefore,
      load_after: load(),
    };
    console.log(
      `${dialect}: ${figures.flows_per_s} flows/s at saturation; ratio ${figures.ratio} (× ${writeTransactionsPerFlow} tx / raw driver ${figures.raw_floor_tx_per_s} tx/s; ` +
        `Kysely + inTransaction ${figures.helper_floor_tx_per_s} tx/s); ${statements.statements_per_flow} statements and ` +
        `${statements.transactions_per_flow} transactions per flow; request→unlock p50 ${figures.p50_unlock_ms} ms, ` +
        `p99 ${figures.p99_unlock_ms} ms at ${figures.offered_flows_per_s} flows/s offered (${figures.unlocks} unlocks); ` +
        `ping p99 ${figures.floor_roundtrip_p99_ms} ms; CPU ms per flow: server ${cpuMsPerFlow.server}, stations ${cpuMsPerFlow.stations}, ` +
        `database ${cpuMsPerFlow.database}; load ${loadBefore.join(' ')} → ${figures.load_after.join(' ')}`,
    );
    if (statements.write_transactions_per_flow !== null && statements.write_transactions_per_flow !== writeTransactionsPerFlow)
      console.log(
        `${dialect}: note: counted ${statements.write_transactions_per_flow} write transactions per flow; the ratio uses the issue's ${writeTransactionsPerFlow}`,
      );
    return figures;
  } finally {
    if (process.env.BENCH_PG_STATEMENTS && dialect === 'postgres') await printTopStatements(database.url);
    database.stop();
  }
}

/** The statements PostgreSQL spent most time on over the whole run (BENCH_PG_STATEMENTS=1). */
async function printTopStatements(url: string) {
  const cubby = connect({ url, poolSize: 1 });
  try {
    // The counters run from server start (preloaded); the view only needs the extension to exist.
    await sql`create extension if not exists pg_stat_statements`.execute(cubby.db);
    const { rows } = await sql<{ calls: string; total_ms: number; mean_ms: number; rows: string; query: string }>`
      select calls, round(total_exec_time::numeric, 1)::float as total_ms, round(mean_exec_time::numeric, 3)::float as mean_ms,
        rows, left(regexp_replace(query, '\s+', ' ', 'g'), 160) as query
      from pg_stat_statements order by total_exec_time desc limit 25`.execute(cubby.db);
    for (const r of rows)
      console.log(`pg: ${r.total_ms} ms total, ${r.calls} calls, ${r.mean_ms} ms mean, ${r.rows} rows: ${r.query}`);
  } catch (error) {
    console.log(`pg: pg_stat_statements unavailable: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await cubby.close();
  }
}

const results = [];
for (const dialect of dialects as Dialect[]) results.push(await benchOne(dialect));
for (const r of results) console.log(JSON.stringify(r));
