import { createTestDb, type TestDb } from '@cubby/db/testing';
import type { Dialect } from '@cubby/db';
import pino, { type Logger } from 'pino';
import { buildServer, type CubbyServer } from '../app.js';
import { loadServerConfig } from '../config.js';

export interface TestServer extends CubbyServer {
  cubby: TestDb;
  url: string;
  close(): Promise<void>;
}

/**
 * A real server on a free port over a fresh database of the given dialect,
 * or over another test server's database (a second instance; its own
 * connection). `log`: a test that reads what it logs.
 */
export async function startTestServer(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: { sameDatabaseAs?: TestServer; log?: Logger } = {},
): Promise<TestServer> {
  const first = options.sameDatabaseAs?.cubby;
  const cubby: TestDb = first
    ? { ...first.reconnect(), reconnect: first.reconnect }
    : await createTestDb(dialect, { poolSize: 10 });
  // Snapshots follow changes quickly in tests, so offline tests need not wait seconds.
  const config = loadServerConfig({
    CUBBY_SECRET: 'test-secret-test-secret-test-secret-0123',
    PORT: '0',
    CUBBY_POLICY_SNAPSHOT_DELAY_MS: '250',
    CUBBY_MODE: 'development',
    ...env,
  });
  const log = options.log ?? pino({ level: process.env.CUBBY_TEST_LOG ?? 'silent' });
  const server = await buildServer({ config, cubby, log });
  await server.app.listen({ host: '127.0.0.1', port: config.port });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    ...server,
    cubby,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await server.app.close();
      await cubby.close();
    },
  };
}
