/**
 * A PostgreSQL 15 cluster whose data directory outlives the run, so a seeded
 * district is kept between benchmark runs. Same binaries and conventions as
 * the throwaway clusters of @cubby/db/pg-cluster (run as `postgres` when root).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, pgBinDir } from '@cubby/db/pg-cluster';

export interface KeptCluster {
  url: string;
  stop(): void;
}

const asRoot = process.getuid?.() === 0;

function run(cmd: string, args: string[]): void {
  const full = join(pgBinDir, cmd);
  const result = asRoot
    ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' })
    : spawnSync(full, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
}

/** Starts the cluster in `dir` (creating it if needed) with these settings on top of the defaults. */
export async function startKeptCluster(dir: string, settings: Record<string, string> = {}): Promise<KeptCluster> {
  if (!existsSync(join(pgBinDir, 'initdb')))
    throw new Error(`PostgreSQL server binaries not found in ${pgBinDir} (apt-get install postgresql)`);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o777);
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  const data = join(dir, 'data');
  if (!existsSync(join(data, 'PG_VERSION')))
    run('initdb', ['-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '-D', data]);
  const port = await freePort();
  const all = { listen_addresses: '127.0.0.1', max_connections: '300', ...settings };
  const opts = [`-p ${port}`, `-k ${dir}`, ...Object.entries(all).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '120', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    // A clean (fast) shutdown, so the next start needs no recovery.
    stop: () => run('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '300', 'stop']),
  };
}

/** For seeding only: nothing is worth an fsync until the seed is complete. */
export const seedingSettings: Record<string, string> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
  wal_level: 'minimal',
  max_wal_senders: '0',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  maintenance_work_mem: '1GB',
  autovacuum: 'off',
};
