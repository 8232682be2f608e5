import { buildServer, createLogger, type CubbyServer } from '@cubby/server';
import { countUsers, type CubbyDb } from '@cubby/db';
import type { Command } from 'commander';
import { loadCliConfig, type CliConfig } from '../config.js';
import { openDatabase } from '../database.js';

export interface RunningServer {
  server: CubbyServer;
  cubby: CubbyDb;
  url: string;
  close(): Promise<void>;
}

/** Opens the database, runs migrations and starts listening. */
export async function runServer(config: CliConfig): Promise<RunningServer> {
  const cubby = await openDatabase(config.server.databaseUrl);
  const log = createLogger(config.server.logLevel);
  const server = await buildServer({ config: config.server, cubby, log });
  await server.app.listen({ host: config.server.host, port: config.server.port });
  const address = server.app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host = config.server.host === '0.0.0.0' ? '127.0.0.1' : config.server.host;
  return {
    server,
    cubby,
    url: `http://${host}:${port}`,
    async close() {
      await server.app.close();
      await cubby.close();
    },
  };
}

/** Finish in-flight requests, then exit, on SIGINT/SIGTERM. */
export function closeOnSignal(close: () => Promise<void>): void {
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (closing) process.exit(1);
      closing = true;
      close().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the Cubby server (API, station gateway)')
    .action(async () => {
      const running = await runServer(loadCliConfig());
      console.log(
        `Cubby server on ${running.url} (${running.cubby.dialect}); API docs at ${running.url}/docs; dashboard at ${running.url}/dashboard/`,
      );
      if ((await countUsers(running.cubby.db)) === 0) {
        console.log(
          `First run: open ${running.url}/dashboard/ to create the first district admin (there is no default account).`,
        );
      }
      closeOnSignal(running.close);
    });
}
