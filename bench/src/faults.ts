/**
 * Fault benchmark: random network cuts between stations and the server, kill -9
 * of station agents and kill -9 of the server, on SQLite and PostgreSQL, while
 * students borrow and return. Runs the same scenario code as the tests
 * (packages/server/src/testing/faults, which npm test runs with small counts)
 * and counts what the kiosks were told against what the database holds.
 *
 *   npm run bench:faults              (1,000 cuts and 100 kills over both databases)
 *   BENCH_CUTS=100 BENCH_KILLS=8 BENCH_DBS=sqlite npm run bench:faults
 *
 * The last line is one JSON object: {"bench":"faults","cuts":…,"kills":…,
 * "transactions":…,"lost":…,"duplicated":…,…}. Exits 1 if anything was lost,
 * duplicated or left wrong.
 */
import type { Dialect } from '@cubby/db';
import { startPgCluster } from '@cubby/db/pg-cluster';
import { runLinkCuts } from '../../packages/server/src/testing/faults/link-cuts.js';
import type { FaultOutcome } from '../../packages/server/src/testing/faults/outcome.js';
import { runServerKills } from '../../packages/server/src/testing/faults/server-kills.js';
import { runStationKills } from '../../packages/server/src/testing/faults/station-kills.js';
import { round } from './stats.js';

const dialects = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',') as Dialect[];
const totalCuts = Number(process.env.BENCH_CUTS ?? 1000);
const totalKills = Number(process.env.BENCH_KILLS ?? 100);
const seed = Number(process.env.BENCH_SEED ?? 20261123);
/** Kills per scenario run: a run restarts its station or server this many times. */
const killsPerRun = Number(process.env.BENCH_KILLS_PER_RUN ?? 25);

const started = performance.now();
const cluster = dialects.includes('postgres') ? await startPgCluster() : undefined;
if (cluster) process.env.CUBBY_TEST_PG_URL = cluster.url;

const outcomes: FaultOutcome[] = [];
const errors: string[] = [];

async function run(what: string, scenario: () => Promise<FaultOutcome>): Promise<void> {
  try {
    const outcome = await scenario();
    outcomes.push(outcome);
    const { visits, ...figures } = outcome;
    console.log(
      JSON.stringify({
        ...figures,
        lost: figures.lost.length,
        duplicated: figures.duplicated.length,
        seconds: round(figures.seconds),
      }),
    );
    if (
      figures.lost.length + figures.duplicated.length + figures.doorMismatches.length + figures.invariantViolations.length >
      0
    ) {
      console.log(
        `  ${what}: ${JSON.stringify({ lost: figures.lost, duplicated: figures.duplicated, doors: figures.doorMismatches, invariants: figures.invariantViolations })}`,
      );
    }
    console.log(`  visits: ${JSON.stringify(visits)}`);
  } catch (error) {
    errors.push(`${what}: ${String(error)}`);
    console.log(`  ${what} FAILED: ${String(error)}`);
  }
}

/** `total` split into runs of at most `per`. */
function runsOf(total: number, per: number): number[] {
  const out: number[] = [];
  for (let left = total; left > 0; left -= per) out.push(Math.min(per, left));
  return out;
}

try {
  let n = 0;
  for (const dialect of dialects) {
    const cuts = Math.round(totalCuts / dialects.length);
    const kills = Math.round(totalKills / dialects.length);
    const stationKills = Math.ceil(kills / 2);
    if (cuts > 0) await run(`link cuts on ${dialect}`, () => runLinkCuts({ dialect, cuts, seed: seed + n++ }));
    for (const k of runsOf(stationKills, killsPerRun))
      await run(`station kills on ${dialect}`, () => runStationKills({ dialect, kills: k, seed: seed + n++ }));
    for (const k of runsOf(kills - stationKills, killsPerRun))
      await run(`server kills on ${dialect}`, () => runServerKills({ dialect, kills: k, seed: seed + n++ }));
  }
} finally {
  cluster?.stop();
}

const sum = (pick: (o: FaultOutcome) => number) => outcomes.reduce((total, o) => total + pick(o), 0);
for (const dialect of dialects) {
  const mine = outcomes.filter((o) => o.db === dialect);
  const of = (pick: (o: FaultOutcome) => number) => mine.reduce((total, o) => total + pick(o), 0);
  console.log(
    JSON.stringify({
      bench: 'faults',
      db: dialect,
      cuts: of((o) => o.cuts),
      kills: of((o) => o.kills),
      transactions: of((o) => o.transactions),
      offline: of((o) => o.offline),
      lost: of((o) => o.lost.length),
      duplicated: of((o) => o.duplicated.length),
    }),
  );
}
const summary = {
  bench: 'faults',
  cuts: sum((o) => o.cuts),
  kills: sum((o) => o.kills),
  transactions: sum((o) => o.transactions),
  lost: sum((o) => o.lost.length),
  duplicated: sum((o) => o.duplicated.length),
  offline: sum((o) => o.offline),
  door_mismatches: sum((o) => o.doorMismatches.length),
  out_of_service: sum((o) => o.outOfService),
  invariant_violations: sum((o) => o.invariantViolations.length),
  failed_runs: errors.length,
  seconds: round((performance.now() - started) / 1000),
};
const clean =
  summary.lost + summary.duplicated + summary.door_mismatches + summary.invariant_violations + summary.failed_runs === 0;
console.log(JSON.stringify(summary));
process.exit(clean ? 0 : 1);
