import type { CubbyEvent, Principal } from '@cubby/core';
import { canSeeSite } from '@cubby/core';
import type { Executor } from '@cubby/db';
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import { principalOf } from '../auth/guard.js';
import type { EventBus } from '../bus.js';
import type { Services } from '../services/deps.js';
import { problemSchema } from '../problems.js';

/**
 * GET /api/v1/live: committed changes as Server-Sent Events, for the
 * dashboard to refetch what changed. Each client sees its campuses only;
 * person ids leave only with people:read. Commands to stations and
 * credential changes are internal and never sent.
 */
const forwarded = new Set<CubbyEvent['type']>([
  'compartment.changed',
  'station.connection',
  'alert.raised',
  'loan.started',
  'loan.returned',
  'loan.cancelled',
  'repair.created',
  'transaction.updated',
]);

interface LiveClient {
  principal: Principal;
  response: ServerResponse;
  /** Events of one client are written in publish order, station lookups or not. */
  queue: Promise<void>;
}

const clientsByBus = new WeakMap<EventBus, Set<LiveClient>>();

/** How many live streams are open (for tests and metrics). */
export function openLiveStreams(bus: EventBus): number {
  return clientsByBus.get(bus)?.size ?? 0;
}

/** Which campus a station is at. Stations never move between campuses, so an answer is kept. */
class StationSites {
  readonly #known = new Map<string, Promise<string | null>>();

  constructor(private readonly db: Executor) {}

  of(stationId: string): Promise<string | null> {
    let site = this.#known.get(stationId);
    if (!site) {
      site = this.db
        .selectFrom('stations')
        .select('site_id')
        .where('id', '=', stationId)
        .executeTakeFirst()
        .then((r) => r?.site_id ?? null);
      // A station not found yet (or a failed lookup) is asked again next time.
      site.then(
        (s) => s === null && this.#known.delete(stationId),
        () => this.#known.delete(stationId),
      );
      this.#known.set(stationId, site);
    }
    return site;
  }
}

export function registerLiveRoutes(app: FastifyInstance, services: Services, options: { keepaliveMs?: number } = {}): void {
  const keepaliveMs = options.keepaliveMs ?? 15_000;
  const clients = new Set<LiveClient>();
  clientsByBus.set(services.bus, clients);
  const sites = new StationSites(services.cubby.db);

  services.bus.subscribe((event) => {
    if (!forwarded.has(event.type) || clients.size === 0) return;
    const at = Date.now();
    const stationId = 'stationId' in event ? event.stationId : null;
    for (const client of clients) {
      client.queue = client.queue
        .then(async () => {
          const siteId = stationId ? await sites.of(stationId) : null;
          if (!canSeeSite(client.principal, siteId)) return;
          const body: Record<string, unknown> = { ...event, at, siteId };
          if (!client.principal.permissions.has('people:read')) delete body.personId;
          client.response.write(`event: change\ndata: ${JSON.stringify(body)}\n\n`);
        })
        .catch((error) => services.log.warn({ err: error }, 'live event not delivered'));
    }
  });

  // Open streams would hold the server open: end them when it closes.
  app.addHook('preClose', async () => {
    for (const client of clients) client.response.end();
  });

  app.get(
    '/api/v1/live',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags: ['live'],
        summary: "Server-Sent Events of committed changes at the caller's campuses",
        description:
          'Each event: `event: change`, `data: { type, at, siteId, stationId, … }`; a comment line every 15 s keeps proxies from closing the stream.',
        security: [{ bearer: [] }],
        response: {
          200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          401: problemSchema,
          403: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      reply.hijack();
      const response = reply.raw;
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // nginx: do not buffer the stream
      });
      response.write('retry: 3000\n: connected\n\n');
      const client: LiveClient = { principal, response, queue: Promise.resolve() };
      clients.add(client);
      const keepalive = setInterval(() => response.write(': keepalive\n\n'), keepaliveMs);
      keepalive.unref();
      const cleanUp = () => {
        clearInterval(keepalive);
        clients.delete(client);
      };
      // The response closes when the client goes away (or the server ends the stream).
      response.on('close', cleanUp);
    },
  );
}
