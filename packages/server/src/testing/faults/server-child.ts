/**
 * Entry of a server run as a child process by the server kill scenario
 * (server-process.ts): the real server over a database it does not own, on a
 * fixed port, so a restart after SIGKILL is found by the stations at the same
 * address. Prints one JSON line with its URL once it listens.
 *
 *   node --import tsx server-child.ts <config.json>
 *   config: { url, schema?, port, env }
 */
import { readFileSync } from 'node:fs';
import { connect } from '@cubby/db';
import pino from 'pino';
import { buildServer } from '../../app.js';
import { loadServerConfig } from '../../config.js';

interface ChildConfig {
  url: string;
  schema?: string;
  port: number;
  env: Record<string, string>;
}

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildConfig;
const cubby = connect({ url: config.url, ...(config.schema ? { schema: config.schema } : {}), poolSize: 10 });
const server = await buildServer({
  config: loadServerConfig({ PORT: String(config.port), ...config.env }),
  cubby,
  log: pino({ level: config.env.CUBBY_TEST_LOG ?? 'silent' }),
});
await server.app.listen({ host: '127.0.0.1', port: config.port });
process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${config.port}` })}\n`);
process.on('SIGTERM', () => {
  void server.app.close().then(async () => {
    await cubby.close();
    process.exit(0);
  });
});
