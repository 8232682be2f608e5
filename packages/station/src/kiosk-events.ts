import type { SSEReplyInterface } from '@fastify/sse';
import type { FastifyInstance } from 'fastify';
import type { StationAgent } from './agent.js';
import type { FeedEntry, KioskFeed } from './kiosk-feed.js';
import type { Logger } from './logger.js';

/** How long the kiosk browser waits before it reconnects a dropped stream. */
const retryMs = 2_000;

/**
 * `GET /api/events`: the agent's updates as server-sent events, each named by
 * its type and carrying the feed's id. A kiosk that reconnects with
 * `Last-Event-ID` first gets what it missed, then the live updates, then the
 * station's status as it is now (no id: it is a picture, not a step).
 */
export function followKioskEvents(api: FastifyInstance, agent: StationAgent, feed: KioskFeed, log: Logger): void {
  const streams = new Set<SSEReplyInterface>();

  api.get('/api/events', { sse: 'only' }, async (_request, reply) => {
    const sse = reply.sse;
    sse.keepAlive();
    // An event stream is never worth keeping anywhere between here and the screen.
    reply.header('cache-control', 'no-store');
    reply.header('content-type', 'text/event-stream; charset=utf-8');
    sse.sendHeaders();
    const send = (entry: FeedEntry): void => {
      if (!sse.isConnected) return;
      sse.send({ id: entry.id, event: entry.update.type, data: entry.update }).catch(() => sse.close());
    };
    for (const entry of feed.since(sse.lastEventId)) send(entry);
    const stop = feed.subscribe(send);
    streams.add(sse);
    sse.onClose(() => {
      stop();
      streams.delete(sse);
    });
    try {
      const status = await agent.status();
      if (sse.isConnected) await sse.send({ event: 'status', data: status, retry: retryMs });
    } catch (error) {
      log.error({ err: String(error) }, 'could not read the station status for the kiosk');
    }
  });

  // Open event streams would otherwise hold app.close() until the browser lets go.
  api.addHook('preClose', async () => {
    for (const sse of [...streams]) sse.close();
  });
}
