import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect, type ConnectOptions, type CubbyDb } from './connect.js';
import { migrateToLatest } from './migrate.js';
import type { Dialect } from './schema.js';
import { sealAuditChain, verifyAuditChain } from './audit.js';

/** Every database-backed test runs on both. */
export const testDialects: readonly Dialect[] = ['sqlite', 'postgres'];

let counter = 0;

/** A test database; `reconnect` opens a second connection to it, as a second server instance would. */
export interface TestDb extends CubbyDb {
  reconnect(): CubbyDb;
}

/**
 * A fresh, migrated database: a temporary SQLite file, or a private schema in
 * the throwaway PostgreSQL cluster started by the test run's global setup.
 */
export async function createTestDb(
  dialect: Dialect,
  options: { poolSize?: number; log?: ConnectOptions['log'] } = {},
): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cubby-sqlite-'));
    const cubby = connect({ url: join(dir, 'test.db'), log: options.log });
    await migrateToLatest(cubby);
    return {
      ...cubby,
      reconnect: () => connect({ url: join(dir, 'test.db') }),
      close: async () => {
        await cubby.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.CUBBY_TEST_PG_URL;
  if (!url) throw new Error('CUBBY_TEST_PG_URL is not set: the test run starts PostgreSQL in its global setup');
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const cubby = connect({ url, schema, poolSize: options.poolSize ?? 5, log: options.log });
  await migrateToLatest(cubby);
  return {
    ...cubby,
    reconnect: () => connect({ url, schema, poolSize: options.poolSize ?? 5 }),
    close: async () => {
      await cubby.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** A snapshot of every row of every table, to prove a refused request changed nothing. */
export async function snapshotTables(cubby: CubbyDb): Promise<Record<string, unknown[]>> {
  // The server seals PostgreSQL audit events in the background: compare sealed states.
  await sealAuditChain(cubby);
  const tables = [
    'districts',
    'sites',
    'stations',
    'compartments',
    'people',
    'devices',
    'loans',
    'repair_tickets',
    'repair_photos',
    'tasks',
    'charge_sessions',
    'kiosk_transactions',
    'alerts',
    'audit_events',
    'audit_chain',
    'api_tokens',
    'journal_entries_applied',
    'jobs',
    'email_settings',
  ] as const;
  const out: Record<string, unknown[]> = {};
  for (const table of tables) {
    const rows = await cubby.db.selectFrom(table).selectAll().execute();
    // Keys sorted at the top level only: a replacer array would also drop the keys of JSON columns.
    out[table] = rows
      .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)))))
      .sort();
  }
  return out;
}

/** Seals what the server has not sealed yet (PostgreSQL), then verifies the whole chain. */
export async function sealAndVerify(cubby: CubbyDb) {
  await sealAuditChain(cubby);
  return verifyAuditChain(cubby);
}
