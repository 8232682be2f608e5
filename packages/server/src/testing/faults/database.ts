import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect, migrateToLatest, type CubbyDb, type Dialect } from '@cubby/db';

/**
 * A database that outlives the processes using it: a SQLite file, or a private
 * schema in the PostgreSQL cluster of CUBBY_TEST_PG_URL (the test run's
 * throwaway cluster, or the one bench:faults starts). A server child process
 * and the scenario that checks it afterwards open it by the same address.
 */
export interface FaultDatabase {
  dialect: Dialect;
  url: string;
  schema?: string;
  open(poolSize?: number): CubbyDb;
  drop(): Promise<void>;
}

let counter = 0;

export async function aFaultDatabase(dialect: Dialect): Promise<FaultDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cubby-faults-'));
    const url = join(dir, 'cubby.db');
    const migrating = connect({ url });
    await migrateToLatest(migrating);
    await migrating.close();
    return { dialect, url, open: () => connect({ url }), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = process.env.CUBBY_TEST_PG_URL;
  if (!url) throw new Error('CUBBY_TEST_PG_URL is not set (the test run and bench:faults start a PostgreSQL cluster)');
  const schema = `f_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = async (statement: string) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(statement);
    await client.end();
  };
  await admin(`create schema ${schema}`);
  const migrating = connect({ url, schema });
  await migrateToLatest(migrating);
  await migrating.close();
  return {
    dialect,
    url,
    schema,
    open: (poolSize = 5) => connect({ url, schema, poolSize }),
    drop: () => admin(`drop schema ${schema} cascade`),
  };
}
