import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, migrateToLatest } from '@cubby/db';
import pino from 'pino';
import { buildServer, type CubbyServer } from '../packages/server/src/app.js';
import { loadServerConfig } from '../packages/server/src/config.js';
import type { TestServer } from '../packages/server/src/testing/harness.js';

export interface RestartableServer extends TestServer {
  /** Stops the server (the HTTP listener, its station links and jobs); the database stays. */
  stop(): Promise<void>;
  /** Starts a new server on the same database file and the same port. */
  restart(): Promise<void>;
  readonly running: boolean;
}

/**
 * Like the server test harness's `startTestServer` (SQLite), but the server can be
 * stopped and started again on the same database and port, as after an outage.
 */
export async function startRestartableServer(): Promise<RestartableServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cubby-e2e-db-'));
  const cubby = connect({ url: join(dir, 'test.db') });
  await migrateToLatest(cubby);
  const config = loadServerConfig({
    CUBBY_SECRET: 'test-secret-test-secret-test-secret-0123',
    PORT: '0',
    CUBBY_POLICY_SNAPSHOT_DELAY_MS: '250',
    CUBBY_POLICY_SNAPSHOT_SECONDS: '1',
  });
  const log = pino({ level: process.env.CUBBY_TEST_LOG ?? 'silent' });
  let port = 0;
  let current: CubbyServer | undefined;
  const listen = async () => {
    const built = await buildServer({ config, cubby, log });
    await built.app.listen({ host: '127.0.0.1', port });
    const address = built.app.server.address();
    port = typeof address === 'object' && address ? address.port : 0;
    current = built;
    return built;
  };
  const first = await listen();
  const self: RestartableServer = {
    ...first,
    cubby: { ...cubby, reconnect: () => connect({ url: join(dir, 'test.db') }) },
    url: `http://127.0.0.1:${port}`,
    get running() {
      return current !== undefined;
    },
    async stop() {
      const stopping = current;
      current = undefined;
      await stopping?.app.close();
    },
    async restart() {
      if (current) throw new Error('the server is already running');
      const again = await listen();
      self.app = again.app;
      self.services = again.services;
    },
    async close() {
      await self.stop();
      await cubby.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return self;
}
