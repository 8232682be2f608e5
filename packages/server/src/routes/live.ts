import type { CubbyEvent, Principal } from '@cubby/core';
import { canSeeSite } from '@cubby/core';
import { findRepairTicketSiteId, findStationSiteId, type Executor } from '@cubby/db';
import { fastifySSE, type SSEReplyInterface } from '@fastify/sse';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomBytes } from 'node:crypto';
import { principalOf } from '../auth/guard.js';
import type { EventBus } from '../bus.js';
import type { Services } from '../services/deps.js';
import { problemSchema } from '../problems.js';

/**
 * GET /api/v1/live: committed changes as Server-Sent Events, for the
 * dashboard to refetch what changed. Each client sees its campuses only;
 * person ids leave only with people:read. Commands to stations and
 * credential changes are internal and never sent. Every event has an id; a
 * dashboard that reconnects with Last-Event-ID gets what it missed, or a
 * `reset` event when that is no longer held (it then refetches everything).
 */
const forwarded = new Set<CubbyEvent['type']>([
  'compartment.changed',
  'station.connection',
  'alert.raised',
  'loan.started',
  'loan.returned',
  'loan.cancelled',
  'repair.created',
  'repair.changed',
  'transaction.updated',
]);

/** One forwarded event as published, before any client's filter. */
export interface LiveEntry {
  seq: number;
  at: number;
  event: CubbyEvent;
  /** The event's campus, looked up once for every client (a ticket's campus can change, a station's cannot). */
  siteId?: Promise<string | null>;
}

/**
 * The last `limit` forwarded events with their ids. An id is `<feed>-<seq>`:
 * the feed part changes with each server process, so an id from before a
 * restart (or from another instance) is recognised as unknown, not misread.
 */
export class LiveFeed {
  readonly #name = randomBytes(6).toString('base64url');
  readonly #entries: LiveEntry[] = [];
  #seq = 0;

  constructor(private readonly limit = 1000) {}

  add(event: CubbyEvent, at: number): LiveEntry {
    const entry = { seq: ++this.#seq, at, event };
    this.#entries.push(entry);
    if (this.#entries.length > this.limit) this.#entries.shift();
    return entry;
  }

  idOf(entry: LiveEntry): string {
    return `${this.#name}-${entry.seq}`;
  }

  /** The id of the latest event (a client holding it has missed nothing). */
  get lastId(): string {
    return `${this.#name}-${this.#seq}`;
  }

  /** The events after `lastEventId`, or null when some of them are no longer held or the id is not ours. */
  since(lastEventId: string): LiveEntry[] | null {
    const dash = lastEventId.lastIndexOf('-');
    const seq = Number(lastEventId.slice(dash + 1));
    if (lastEventId.slice(0, dash) !== this.#name || !Number.isInteger(seq) || seq < 0 || seq > this.#seq) return null;
    const oldest = this.#entries[0]?.seq ?? this.#seq + 1;
    if (seq < oldest - 1) return null;
    return this.#entries.slice(Math.max(0, seq - oldest + 1));
  }
}

interface LiveClient {
  principal: Principal;
  sse: SSEReplyInterface;
  /** Events of one client are written in order (replay first), station lookups or not. */
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
      site = findStationSiteId(this.db, stationId);
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

export interface LiveOptions {
  /** How often a comment keeps proxies from closing an idle stream. */
  keepaliveMs?: number;
  /** How many events are held for clients that reconnect. */
  replayLimit?: number;
}

const liveRoute = {
  sse: 'only',
  config: { access: 'fleet:read' },
  schema: {
    tags: ['live'],
    summary: "Server-Sent Events of committed changes at the caller's campuses",
    description:
      'Each event: `id: …`, `event: change`, `data: { type, at, siteId, stationId, … }`. Reconnect with `Last-Event-ID` to get what was missed; when that is no longer held the stream starts with `event: reset` (refetch everything). A comment line every 15 s keeps proxies from closing the stream.',
    security: [{ bearer: [] }],
    response: {
      200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
      401: problemSchema,
      403: problemSchema,
      406: { description: 'The client refuses text/event-stream' },
    },
  },
} as const;

export function registerLiveRoutes(app: FastifyInstance, services: Services, options: LiveOptions = {}): void {
  const clients = new Set<LiveClient>();
  clientsByBus.set(services.bus, clients);
  const feed = new LiveFeed(options.replayLimit);
  const sites = new StationSites(services.cubby.db);

  /**
   * Which campus an event is at: a repair ticket's change is at the ticket's
   * campus (its device's, else where it was reported, as ticketFor scopes
   * it), whoever made it; anything else at its station's.
   */
  function siteOf(entry: LiveEntry): Promise<string | null> {
    const { event } = entry;
    entry.siteId ??=
      event.type === 'repair.changed'
        ? findRepairTicketSiteId(services.cubby.db, event.ticketId)
        : 'stationId' in event
          ? sites.of(event.stationId)
          : Promise.resolve(null);
    return entry.siteId;
  }

  /** Sends one event to one client if its campuses and permissions allow. */
  async function deliver(client: LiveClient, entry: LiveEntry): Promise<void> {
    const siteId = await siteOf(entry);
    if (!canSeeSite(client.principal, siteId) || !client.sse.isConnected) return;
    const body: Record<string, unknown> = { ...entry.event, at: entry.at, siteId };
    if (!client.principal.permissions.has('people:read')) delete body.personId;
    await client.sse.send({ id: feed.idOf(entry), event: 'change', data: body });
  }

  function enqueue(client: LiveClient, send: () => Promise<void>): void {
    client.queue = client.queue.then(send).catch((error) => services.log.warn({ err: error }, 'live event not delivered'));
  }

  // Every forwarded event is held, clients or not: a dashboard may be between two connections.
  services.bus.subscribe((event) => {
    if (!forwarded.has(event.type)) return;
    const entry = feed.add(event, Date.now());
    for (const client of clients) enqueue(client, () => deliver(client, entry));
  });

  // Open streams would hold the server open: end them when it closes.
  app.addHook('preClose', async () => {
    for (const client of clients) client.sse.close();
  });

  /** Opens a stream: the greeting, then what the client missed (or a reset), then live events. */
  async function open(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const client: LiveClient = { principal: principalOf(request), sse: reply.sse, queue: Promise.resolve() };
    const lastEventId = reply.sse.lastEventId;
    const missed = lastEventId === null ? [] : feed.since(lastEventId);
    reply.header('cache-control', 'no-cache, no-transform');
    reply.sse.keepAlive();
    reply.sse.sendHeaders();
    // The library has no comment or bare-id message: the greeting is written as is. A fresh
    // client gets the current id, so even a reconnect before its first event misses nothing.
    const cursor = lastEventId === null ? `id: ${feed.lastId}\n` : '';
    reply.raw.write(`retry: 3000\n${cursor}: connected\n\n`);
    // Joined in the same tick as the replay is read: no event falls between the two.
    clients.add(client);
    if (missed === null) {
      const id = feed.lastId;
      enqueue(client, () => client.sse.send({ id, event: 'reset', data: { at: Date.now() } }));
    } else for (const entry of missed) enqueue(client, () => deliver(client, entry));
    // The stream closes when the client goes away (or the server ends it).
    reply.sse.onClose(() => clients.delete(client));
  }

  // In a scope of its own: the plugin's heartbeat interval is this route's keepalive.
  void app.register(async (scope) => {
    await scope.register(fastifySSE, { heartbeatInterval: options.keepaliveMs ?? 15_000 });
    scope.get('/api/v1/live', liveRoute, open);
  });
}
