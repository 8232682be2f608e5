import type { AddressInfo } from 'node:net';
import {
  ActionRequest,
  SignInRequest,
  StationInfo,
  TransactionParams,
  TransactionView,
  type KioskSettings,
} from '@cubby/protocol';
import { fastifySSE } from '@fastify/sse';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import type { StationAgent } from './agent.js';
import { followKioskEvents } from './kiosk-events.js';
import { KioskFeed } from './kiosk-feed.js';
import { registerKioskSecurityHeaders } from './kiosk-headers.js';
import { answerRoutingError, problem, problemOf } from './kiosk-problems.js';
import { isStationRequestError } from './request-error.js';
import { serveKioskApp, serveKioskAssets } from './kiosk-static.js';
import { silentLogger, type Logger } from './logger.js';

export type { KioskSettings };

export interface KioskApiOptions {
  agent: StationAgent;
  kiosk?: KioskSettings;
  logger?: Logger;
  /** Folder of the built kiosk web app to serve at `/`; without it only `/api` answers. */
  staticDir?: string;
  /** Comment lines on `/api/events` keep idle proxies and browsers from closing it. Default 15 s. */
  sseHeartbeatMs?: number;
  /** How many recent updates a reconnecting kiosk can be sent again (`Last-Event-ID`). Default 200. */
  sseReplayLimit?: number;
}

/**
 * A browser on the kiosk PC can be steered to any site; a site that resolves its
 * own name to 127.0.0.1 (DNS rebinding) must still not reach this API.
 */
const localHostnames = new Set(['127.0.0.1', 'localhost', '[::1]']);

const sendProblem = (reply: FastifyReply, body: { status: number }) =>
  reply.status(body.status).type('application/problem+json').send(body);

/** The kiosk browser's local HTTP API. Build it here; `listenKioskApi` puts it on 127.0.0.1. */
export function buildKioskApi(options: KioskApiOptions): FastifyInstance {
  const log = options.logger ?? silentLogger;
  const app = Fastify({
    logger: false,
    forceCloseConnections: true,
    frameworkErrors: answerRoutingError,
    // Credential is a union of closed objects: stripping "additional" properties
    // while trying the first branch would break the second, so nothing is stripped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });

  registerKioskSecurityHeaders(app);
  app.addHook('onRequest', async (request, reply) => {
    const hostname = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (!localHostnames.has(hostname)) {
      return sendProblem(reply, problem('forbidden', 'Forbidden', 403, 'The kiosk API answers local requests only'));
    }
  });

  app.setErrorHandler(async (error, request, reply) => {
    const known = problemOf(error);
    if (!known) log.error({ err: String(error), url: request.url }, 'kiosk API request failed');
    // The server's extension members (e.g. `nearby` stations with loaners) go along; the standard ones win.
    const extensions = isStationRequestError(error) ? (error.data ?? {}) : {};
    return sendProblem(reply, known ? { ...extensions, ...known } : problem('internal', 'Internal error', 500));
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (options.staticDir && serveKioskApp(request, reply)) return reply;
    return sendProblem(reply, problem('not_found', 'Not found', 404, `No route ${request.method} ${request.url}`));
  });

  void app.register(fastifySSE, { heartbeatInterval: options.sseHeartbeatMs ?? 15_000 });
  if (options.staticDir) serveKioskAssets(app, options.staticDir);
  void app.register(async (api) => kioskRoutes(api, options));
  return app;
}

async function kioskRoutes(api: FastifyInstance, options: KioskApiOptions): Promise<void> {
  const { agent } = options;
  const typed = api.withTypeProvider<TypeBoxTypeProvider>();

  typed.get('/api/station', { schema: { response: { 200: StationInfo } } }, async () => ({
    ...(await agent.status()),
    kiosk: options.kiosk ?? {},
  }));

  typed.post('/api/session', { schema: { body: SignInRequest } }, async (request) => ({
    signedIn: true as const,
    ...(await agent.signIn(request.body)),
  }));

  typed.delete('/api/session', async (_request, reply) => {
    agent.signOut();
    return reply.status(204).send();
  });

  typed.post('/api/actions', { schema: { body: ActionRequest } }, async (request) => agent.act(request.body));

  typed.get(
    '/api/transactions/:id',
    { schema: { params: TransactionParams, response: { 200: TransactionView } } },
    async (request, reply) => {
      const transaction = agent.transaction(request.params.id);
      if (transaction) return transaction;
      return sendProblem(reply, problem('not_found', 'Not found', 404, 'This station knows no such transaction'));
    },
  );

  const feed = new KioskFeed(agent, options.sseReplayLimit);
  followKioskEvents(typed, agent, feed, options.logger ?? silentLogger);
  api.addHook('onClose', async () => feed.close());
}

/** Listens on 127.0.0.1 only (port 0 picks a free one) and returns the base URL. */
export async function listenKioskApi(app: FastifyInstance, port = 0): Promise<string> {
  await app.listen({ host: '127.0.0.1', port });
  const address = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${address.port}`;
}
