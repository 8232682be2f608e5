import { startPgCluster, type PgCluster } from '../packages/db/src/pg-cluster.js';

let cluster: PgCluster | undefined;

/** Starts one throwaway PostgreSQL cluster for the whole test run. */
export async function setup(): Promise<void> {
  if (process.env.CUBBY_TEST_PG_URL) return;
  // Durability is not under test here; the benchmarks run with the defaults.
  cluster = await startPgCluster({ settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
  process.env.CUBBY_TEST_PG_URL = cluster.url;
}

export async function teardown(): Promise<void> {
  cluster?.stop();
}
