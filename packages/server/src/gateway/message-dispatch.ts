import { DomainError, isDomainError } from '@cubby/core';
import { parseStationMessage, type ProblemBody, type StationMessage } from '@cubby/protocol';
import { stationContext, type Services } from '../services/deps.js';
import { startTransaction } from '../services/kiosk/start.js';
import { replayJournal } from '../services/kiosk/offline-replay.js';
import { signIn, signOut } from '../services/kiosk-session.js';
import { handleStationEvent, stationConnected } from '../services/station-events.js';
import type { SnapshotSchedule } from './snapshots.js';
import { send, type Outgoing, type StationLink } from './station-links.js';

/** One message from a station: parsed, routed to its service, answered (or its failure reported). */
export async function handleStationMessage(
  services: Services,
  snapshots: SnapshotSchedule,
  link: StationLink,
  raw: string,
): Promise<void> {
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
    await dispatch(services, snapshots, link, message);
  } catch (error) {
    if (!isDomainError(error))
      services.log.error({ err: error, stationId: link.stationId, type: message.type }, 'station message failed');
    const problem = problemBody(error);
    if (message.type === 'auth' || message.type === 'request' || message.type === 'journal' || message.type === 'sign_out') {
      send(link, { type: 'result', re: message.id, ok: false, error: problem });
    } else {
      send(link, { type: 'message', level: 'error', text: problem.title, error: problem, re: message.id });
    }
  }
}

async function dispatch(
  services: Services,
  snapshots: SnapshotSchedule,
  link: StationLink,
  message: StationMessage,
): Promise<void> {
  switch (message.type) {
    case 'hello':
      return greet(services, snapshots, link, message);
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
      snapshots.schedule(link, 0);
      return;
    }
    case 'ping':
      send(link, { type: 'pong', re: message.id });
      return;
    case 'sign_out':
      await signOut(services, link.stationId, message.session);
      send(link, { type: 'result', re: message.id, ok: true });
      return;
  }
}

async function greet(
  services: Services,
  snapshots: SnapshotSchedule,
  link: StationLink,
  message: Extract<StationMessage, { type: 'hello' }>,
): Promise<void> {
  if (message.stationId && message.stationId !== link.stationId) {
    send(link, notice(new DomainError('forbidden', 'This token belongs to another station'), message.id));
    link.socket.close(4403, 'station id does not match token');
    return;
  }
  await stationConnected(services, link.stationId, message.compartments, message.journalSeq);
  const { timeZone } = await stationContext(services.cubby, link.stationId);
  link.greeted = true;
  send(link, {
    type: 'welcome',
    stationId: link.stationId,
    stationName: link.stationName,
    serverTime: Date.now(),
    timeZone,
    offline: { snapshotKey: services.keys.stationOfflineKey(link.stationId), badgeKey: services.keys.offlineBadgeKey() },
  });
  snapshots.send(link);
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
