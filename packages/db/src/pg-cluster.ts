import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway PostgreSQL 15 cluster from the Debian server binaries, for tests
 * and benchmarks. `postgres` refuses to run as root, so as root the cluster is
 * owned by and run as the `postgres` system user.
 */
export interface PgCluster {
  url: string;
  port: number;
  dir: string;
  stop(): void;
}

export const pgBinDir = process.env.CUBBY_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PgClusterOptions {
  /** Extra server settings, e.g. { fsync: 'off' } for tests that do not measure durability. */
  settings?: Record<string, string>;
}

export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  if (!existsSync(join(pgBinDir, 'initdb'))) {
    throw new Error(`PostgreSQL server binaries not found in ${pgBinDir} (apt-get install postgresql)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'cubby-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) => {
    const full = join(pgBinDir, cmd);
    const result = asRoot
      ? spawnSync('runuser', ['-u', 'postgres', '--', full, ...args], { encoding: 'utf8' })
      : spawnSync(full, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${cmd} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) execFileSync('chown', ['postgres', dir]);
  run('initdb', ['-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '-D', data]);
  const port = await freePort();
  const settings = { listen_addresses: '127.0.0.1', max_connections: '300', ...options.settings };
  const opts = [`-p ${port}`, `-k ${dir}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
  run('pg_ctl', ['-D', data, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop() {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
