import type {} from '@fastify/websocket';
import type {} from '@fastify/swagger';
import type { CubbyEvent } from '@cubby/core';
import { DomainError, isDomainError } from '@cubby/core';
import { findStationByTokenHash } from '@cubby/db';
import { parseStationMessage, protocolVersion, type ProblemBody, type ServerMessage, type StationMessage } from '@cubby/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { handleStationEvent, stationConnected, stationDisconnected } from '../services/station-events.js';
import { signIn } from '../services/kiosk-session.js';
import { startTransaction } from '../services/kiosk/start.js';
import { buildPolicySnapshot } from '../services/policy-snapshot.js';
import { replayJournal } from '../services/kiosk/offline-replay.js';
import type { Services } from '../services/deps.js';
import { hashToken } from '../secrets.js';

type Outgoing = ServerMessage extends infer M ? (M extends { v: number; id: string } ? Omit<M, 'v' | 'id'> : never) : never;

interface StationLink {
  stationId: string;
  stationName: string;
  socket: WebSocket;
  greeted: boolean;
  /** Messages of one station are handled in order: a door closes after it opened. */
  queue: Promise<void>;
  /** A fresh policy snapshot is due (debounced after changes at the station). */
  snapshotTimer: NodeJS.Timeout | undefined;
}

/**
 * The station side of the server: one outbound WebSocket per station,
 * authenticated by the station's token. Commands decided by committed
 * transactions reach the station through the event bus.
 */
export async function registerStationGateway(app: FastifyInstance, services: Services): Promise<void> {
  const links = new Map<string, StationLink>();

  const send = (link: StationLink, message: Outgoing) => {
    if (link.socket.readyState === link.socket.OPEN) {
      link.socket.send(JSON.stringify({ v: protocolVersion, id: randomUUID(), ...message }));
    }
  };

  services.bus.subscribe((event: CubbyEvent) => {
    if (event.type === 'station.command') {
      const link = links.get(event.stationId);
      if (!link) return;
      const c = event.command;
      if (c.kind === 'unlock') {
        send(link, {
          type: 'unlock',
          commandId: c.commandId,
          compartment: c.compartment,
          pulseMs: services.config.unlockPulseMs,
          transactionId: c.transactionId,
          purpose: c.purpose,
        });
      } else {
        send(link, { type: 'set_charging', compartment: c.compartment, on: c.on });
      }
    } else if (event.type === 'station.revoked') {
      // A revoked (or replaced) credential ends the link it opened; the agent cannot reconnect with it.
      links.get(event.stationId)?.socket.close(4401, 'station credential revoked');
    } else if (event.type === 'transaction.updated') {
      const link = links.get(event.stationId);
      if (link) send(link, { type: 'transaction', transaction: event.transaction });
      // A finished transaction changed who holds what: the station's offline view follows.
      if (link && event.transaction.status !== 'in_progress') scheduleSnapshot(link);
    }
  });

  /** Sends the station what it may decide alone if the link drops; a failure only waits for the next. */
  const sendSnapshot = (link: StationLink) => {
    link.queue = link.queue
      .then(async () => {
        if (links.get(link.stationId) !== link) return;
        send(link, await buildPolicySnapshot(services, link.stationId));
      })
      .catch((error) => services.log.error({ err: error, stationId: link.stationId }, 'policy snapshot failed'));
  };
  const scheduleSnapshot = (link: StationLink, delayMs = services.config.policySnapshotDelayMs) => {
    if (link.snapshotTimer) return;
    link.snapshotTimer = setTimeout(() => {
      link.snapshotTimer = undefined;
      sendSnapshot(link);
    }, delayMs);
    link.snapshotTimer.unref();
  };
  const periodic = setInterval(() => {
    for (const link of links.values()) if (link.greeted) sendSnapshot(link);
  }, services.config.policySnapshotSeconds * 1000);
  periodic.unref();
  app.addHook('onClose', async () => clearInterval(periodic));

  // On shutdown, close the links and let their queued messages finish first.
  app.addHook('preClose', async () => {
    const pending = [...links.values()];
    for (const link of pending) {
      clearTimeout(link.snapshotTimer);
      link.socket.close(1001, 'server shutting down');
    }
    await Promise.all(pending.map((link) => link.queue));
  });

  app.get(
    '/station/link',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (request: FastifyRequest) => {
        const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
        if (!token) throw new DomainError('forbidden', 'A station token is required');
        const station = await findStationByTokenHash(services.cubby.db, hashToken(token));
        if (!station) throw new DomainError('forbidden', 'This station token is not valid');
        (request as FastifyRequest & { station?: typeof station }).station = station;
      },
    },
    (socket, request) => {
      const station = (request as FastifyRequest & { station: { id: string; name: string } }).station;
      const previous = links.get(station.id);
      if (previous) previous.socket.close(4409, 'replaced by a newer connection');
      const link: StationLink = {
        stationId: station.id,
        stationName: station.name,
        socket,
        greeted: false,
        queue: Promise.resolve(),
        snapshotTimer: undefined,
      };
      links.set(station.id, link);
      const log = services.log.child({ stationId: station.id });
      log.info('station connected');
      socket.on('message', (data) => {
        const raw = data.toString();
        link.queue = link.queue
          .then(() => handle(link, raw))
          .catch((error) => log.error({ err: error }, 'station message failed'));
      });
      socket.on('close', () => {
        clearTimeout(link.snapshotTimer);
        if (links.get(station.id) !== link) return;
        links.delete(station.id);
        log.info('station disconnected');
        link.queue = link.queue
          .then(() => stationDisconnected(services, station.id))
          .catch((error) => log.error({ err: error }, 'disconnect failed'));
      });
    },
  );

  async function handle(link: StationLink, raw: string): Promise<void> {
    const parsed = parseStationMessage(raw);
    if (!parsed.ok) {
      send(link, notice(new DomainError('bad_request', parsed.error), parsed.id));
      return;
    }
    const message = parsed.message;
    if (message.type !== 'hello' && !link.greeted) {
      send(link, notice(new DomainError('bad_request', 'Send hello first'), message.id));
      return;
    }
    try {
      await dispatch(link, message);
    } catch (error) {
      if (!isDomainError(error))
        services.log.error({ err: error, stationId: link.stationId, type: message.type }, 'station message failed');
      const problem = problemBody(error);
      if (message.type === 'auth' || message.type === 'request' || message.type === 'journal') {
        send(link, { type: 'result', re: message.id, ok: false, error: problem });
      } else {
        send(link, { type: 'message', level: 'error', text: problem.title, error: problem, re: message.id });
      }
    }
  }

  async function dispatch(link: StationLink, message: StationMessage): Promise<void> {
    switch (message.type) {
      case 'hello':
        if (message.stationId && message.stationId !== link.stationId) {
          send(link, notice(new DomainError('forbidden', 'This token belongs to another station'), message.id));
          link.socket.close(4403, 'station id does not match token');
          return;
        }
        await stationConnected(services, link.stationId, message.compartments, message.journalSeq);
        link.greeted = true;
        send(link, {
          type: 'welcome',
          stationId: link.stationId,
          stationName: link.stationName,
          serverTime: Date.now(),
          offline: { snapshotKey: services.keys.stationOfflineKey(link.stationId), badgeKey: services.keys.offlineBadgeKey() },
        });
        sendSnapshot(link);
        return;
      case 'auth': {
        const data = await signIn(services, link.stationId, message.credential);
        send(link, { type: 'result', re: message.id, ok: true, data });
        return;
      }
      case 'request': {
        const data = await startTransaction(services, link.stationId, message.id, message.session, message.action);
        send(link, { type: 'result', re: message.id, ok: true, data });
        return;
      }
      case 'event':
        await handleStationEvent(services, link.stationId, message.event);
        return;
      case 'journal': {
        const data = await replayJournal(services, link.stationId, message.entries);
        send(link, { type: 'result', re: message.id, ok: true, data });
        scheduleSnapshot(link, 0);
        return;
      }
      case 'ping':
        send(link, { type: 'pong', re: message.id });
        return;
    }
  }
}

function notice(error: DomainError, re: string | undefined): Outgoing {
  const problem = problemBody(error);
  return { type: 'message', level: 'error', text: problem.title, error: problem, ...(re ? { re } : {}) };
}

export function problemBody(error: unknown): ProblemBody {
  if (isDomainError(error)) {
    return {
      code: error.code,
      title: error.message,
      ...(Object.keys(error.details).length ? { data: { ...error.details } } : {}),
    };
  }
  return { code: 'internal', title: 'Something went wrong on the server' };
}
