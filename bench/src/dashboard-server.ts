/**
 * The server process of the dashboard benchmark: the product's buildServer on
 * the seeded database, plus one thing only the benchmark adds: each answer
 * carries `server-timing: app;dur=<ms>`, Fastify's own measure from the
 * request's arrival to its serialised answer, so the load generator reads the
 * server-side time and not its own queueing.
 *
 *   DATABASE_URL=… CUBBY_SECRET=… PORT=… node --import tsx bench/src/dashboard-server.ts
 */
import { connect, migrateToLatest } from '@cubby/db';
import { buildServer, createLogger, loadServerConfig } from '@cubby/server';

const config = loadServerConfig(process.env);
const cubby = connect({ url: config.databaseUrl, poolSize: 20 });
await migrateToLatest(cubby);
const server = await buildServer({ config, cubby, log: createLogger(config.logLevel) });
server.app.addHook('onSend', async (_request, reply) => {
  reply.header('server-timing', `app;dur=${reply.elapsedTime.toFixed(3)}`);
});
await server.app.listen({ host: '127.0.0.1', port: config.port });
console.log(`dashboard bench server on http://127.0.0.1:${config.port}`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void server.app
      .close()
      .then(() => cubby.close())
      .finally(() => process.exit(0));
  });
}
