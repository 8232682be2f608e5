import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, migrateToLatest, type CubbyDb, type Dialect } from '@cubby/db';
import { startPgCluster, freePort, type PgCluster } from '@cubby/db/pg-cluster';
import { Keys } from '@cubby/server';
import { aDistrict, aLoaner, aSite, aStation, aStudent } from '@cubby/server/testing';

export const benchSecret = 'bench-secret-bench-secret-bench-secret-00';

export interface BenchDatabase {
  dialect: Dialect;
  url: string;
  cluster?: PgCluster;
  stop(): void;
}

/** A fresh database; PostgreSQL runs with its default (durable) settings. */
export async function benchDatabase(dialect: Dialect): Promise<BenchDatabase> {
  if (dialect === 'sqlite') {
    const url = join(mkdtempSync(join(tmpdir(), 'cubby-bench-')), 'bench.db');
    return { dialect, url, stop() {} };
  }
  // BENCH_PG_STATEMENTS=1 loads pg_stat_statements, so the run can print where PostgreSQL's time went.
  const cluster = await startPgCluster(
    process.env.BENCH_PG_STATEMENTS ? { settings: { shared_preload_libraries: 'pg_stat_statements' } } : {},
  );
  return { dialect, url: cluster.url, cluster, stop: () => cluster.stop() };
}

export interface BenchStation {
  stationId: string;
  token: string;
  badges: string[];
  loaded: number[];
  compartments: number;
}

/** Stations with loaners and students of their own, so flows never compete for a person. */
export async function seedBenchDistrict(
  cubby: CubbyDb,
  stations: number,
  options = { compartments: 8, loaners: 4, students: 2 },
) {
  const keys = new Keys(benchSecret);
  const { districtId, siteId } = await aDistrict(cubby, { policy: { maxActiveLoans: 1, minChargePercent: 0 } });
  const out: BenchStation[] = [];
  for (let i = 0; i < stations; i++) {
    // A campus per station, as in a district (one to three stations a campus): a station's
    // offline snapshot lists its campus's recent users, each with a slow hash.
    const campus = i === 0 ? siteId : await aSite(cubby, districtId, { name: `Bench campus ${i + 1}` });
    const station = await aStation(cubby, campus, { name: `Bench ${i + 1}`, compartments: options.compartments });
    for (let l = 0; l < options.loaners; l++) await aLoaner(cubby, districtId, station.compartments[l]!.id, { charge: 90 });
    const badges: string[] = [];
    for (let s = 0; s < options.students; s++)
      badges.push((await aStudent(cubby, keys, districtId, { badge: String(7_000_000 + i * 100 + s), siteId: campus })).badge);
    out.push({
      stationId: station.stationId,
      token: station.token,
      badges,
      loaded: Array.from({ length: options.loaners }, (_, n) => n + 1),
      compartments: options.compartments,
    });
  }
  return { districtId, siteId, stations: out };
}

export async function openBenchDb(url: string): Promise<CubbyDb> {
  const cubby = connect({ url, poolSize: 10 });
  await migrateToLatest(cubby);
  return cubby;
}

/** The server in its own process (its own core), as in production. */
export async function startServerProcess(
  databaseUrl: string,
): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const port = await freePort();
  // BENCH_PROFILE=dir writes a V8 CPU profile of the server process there.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'packages/cli/src/main.ts', 'serve'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CUBBY_SECRET: benchSecret, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('the server process did not say "Cubby server on" within 60 s'));
    }, 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server process exited with ${code ?? signal} before listening (its stderr is above)`));
    });
    child.stdout!.on('data', (data: Buffer) => {
      if (data.toString().includes('Cubby server on')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  child.removeAllListeners('exit');
  child.once('exit', (code, signal) => console.error(`bench: the server process exited during the run (${code ?? signal})`));
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    stop: () =>
      new Promise<void>((resolve) => {
        child.removeAllListeners('exit');
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        // A server that does not finish within 15 s of SIGTERM is killed, so the bench never hangs on it.
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
