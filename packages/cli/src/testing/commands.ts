import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from '@cubby/db';
import pg from 'pg';

/** Runs the real `cubby` command in its own process, as an operator would. */
export function runCubby(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    env: { ...process.env, CUBBY_SECRET: 's'.repeat(40), LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}`, stdout: result.stdout };
}

/** A database of its own for a command to open: a SQLite file, or a PostgreSQL database in the test cluster. */
export async function aDatabaseUrl(dialect: Dialect): Promise<{ url: string; cleanup(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cubby-cli-'));
    return { url: join(dir, 'cli.db'), cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const base = process.env.CUBBY_TEST_PG_URL!;
  const name = `cli_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: base.replace(/\/[^/]*$/, `/${name}`),
    async cleanup() {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database ${name} with (force)`);
      await c.end();
    },
  };
}

/** `runCubby` without blocking this process: for a command that calls a fake served by the test itself. */
export function runCubbyAsync(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; out: string; stdout: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
      env: { ...process.env, CUBBY_SECRET: 's'.repeat(40), LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('close', (code) => resolve({ code, out: `${stdout}${stderr}`, stdout }));
  });
}
