import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Credential, KioskAction } from '@cubby/protocol';
import { Type, type Static } from '@sinclair/typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AgentUpdate, StationAgent } from './agent.js';
import { problem, problemOf } from './kiosk-problems.js';
import { isStationRequestError } from './request-error.js';
import { serveKioskAssets } from './kiosk-static.js';
import { silentLogger, type Logger } from './logger.js';

/** How this station's kiosk screen behaves; sent to it with `GET /api/station`. */
export interface KioskSettings {
  /** The screen's language when nobody has switched it: `en` or `es`. Default `en`. */
  language?: string;
  /** Sign a student out after this long without a touch. Default 20 s (the kiosk's own). */
  idleSignOutSeconds?: number;
  /** How long the "done" screen stays before signing out. Default 6 s (the kiosk's own). */
  doneSignOutSeconds?: number;
}

export interface KioskApiOptions {
  agent: StationAgent;
  kiosk?: KioskSettings;
  logger?: Logger;
  /** Folder of the built kiosk web app to serve at `/`; without it only `/api` answers. */
  staticDir?: string;
  /** Comment lines on `/api/events` keep idle proxies and browsers from closing it. Default 15 s. */
  sseHeartbeatMs?: number;
}

const TransactionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

/**
 * A browser on the kiosk PC can be steered to any site; a site that resolves its
 * own name to 127.0.0.1 (DNS rebinding) must still not reach this API.
 */
const localHostnames = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The kiosk browser's local HTTP API. Build it here; `listenKioskApi` puts it on 127.0.0.1. */
export function buildKioskApi(options: KioskApiOptions): FastifyInstance {
  const { agent } = options;
  const log = options.logger ?? silentLogger;
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    // Credential is a union of closed objects: stripping "additional" properties
    // while trying the first branch would break the second, so nothing is stripped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  const streams = new Set<ServerResponse>();

  app.addHook('onRequest', async (request, reply) => {
    const hostname = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (!localHostnames.has(hostname)) {
      return reply
        .status(403)
        .type('application/problem+json')
        .send(problem('forbidden', 'Forbidden', 403, 'The kiosk API answers local requests only'));
    }
  });

  app.setErrorHandler(async (error, request, reply) => {
    const known = problemOf(error);
    if (!known) log.error({ err: String(error), url: request.url }, 'kiosk API request failed');
    // The server's extension members (e.g. `nearby` stations with loaners) go along; the standard ones win.
    const extensions = isStationRequestError(error) ? (error.data ?? {}) : {};
    const body = known ? { ...extensions, ...known } : problem('internal', 'Internal error', 500);
    return reply.status(body.status).type('application/problem+json').send(body);
  });
  app.setNotFoundHandler(async (request, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send(problem('not_found', 'Not found', 404, `No route ${request.method} ${request.url}`)),
  );

  app.get('/api/station', async () => ({ ...(await agent.status()), kiosk: options.kiosk ?? {} }));

  app.post<{ Body: Static<typeof Credential> }>('/api/session', { schema: { body: Credential } }, async (request) => {
    return { signedIn: true, ...(await agent.signIn(request.body)) };
  });

  app.delete('/api/session', async (_request, reply) => {
    agent.signOut();
    return reply.status(204).send();
  });

  app.post<{ Body: Static<typeof KioskAction> }>('/api/actions', { schema: { body: KioskAction } }, async (request) =>
    agent.act(request.body),
  );

  app.get<{ Params: Static<typeof TransactionParams> }>(
    '/api/transactions/:id',
    { schema: { params: TransactionParams } },
    async (request, reply) => {
      const transaction = agent.transaction(request.params.id);
      if (transaction) return transaction;
      return reply
        .status(404)
        .type('application/problem+json')
        .send(problem('not_found', 'Not found', 404, 'This station knows no such transaction'));
    },
  );

  app.get('/api/events', (request, reply) => {
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    const send = (event: string, data: unknown): void => {
      response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const onUpdate = (update: AgentUpdate): void => send(update.type, update);
    const heartbeat = setInterval(() => response.write(': keepalive\n\n'), options.sseHeartbeatMs ?? 15_000);
    streams.add(response);
    agent.on('update', onUpdate);
    response.on('close', () => {
      clearInterval(heartbeat);
      agent.off('update', onUpdate);
      streams.delete(response);
    });
    response.write('retry: 2000\n\n');
    agent.status().then(
      (status) => send('status', status),
      (error: unknown) => log.error({ err: String(error) }, 'could not read the station status for the kiosk'),
    );
  });

  // Open event streams would otherwise hold app.close() until the browser lets go.
  app.addHook('preClose', async () => {
    for (const response of streams) response.end();
  });

  if (options.staticDir) serveKioskAssets(app, options.staticDir);
  return app;
}

/** Listens on 127.0.0.1 only (port 0 picks a free one) and returns the base URL. */
export async function listenKioskApi(app: FastifyInstance, port = 0): Promise<string> {
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}
