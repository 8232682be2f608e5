import { protocolVersion, type ServerMessage } from '@cubby/protocol';
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';

/** A server message without its envelope (version and id are added on sending). */
export type Outgoing = ServerMessage extends infer M
  ? M extends { v: number; id: string }
    ? Omit<M, 'v' | 'id'>
    : never
  : never;

export interface StationLink {
  stationId: string;
  stationName: string;
  socket: WebSocket;
  greeted: boolean;
  /** Messages of one station are handled in order: a door closes after it opened. */
  queue: Promise<void>;
  /** A fresh policy snapshot is due (debounced after changes at the station). */
  snapshotTimer: NodeJS.Timeout | undefined;
}

/** The open station links, one per station: a newer connection replaces the older. */
export class StationLinks {
  readonly #links = new Map<string, StationLink>();

  open(station: { id: string; name: string }, socket: WebSocket): StationLink {
    this.#links.get(station.id)?.socket.close(4409, 'replaced by a newer connection');
    const link: StationLink = {
      stationId: station.id,
      stationName: station.name,
      socket,
      greeted: false,
      queue: Promise.resolve(),
      snapshotTimer: undefined,
    };
    this.#links.set(station.id, link);
    return link;
  }

  /** Forgets a closed link; false when a newer one already replaced it. */
  close(link: StationLink): boolean {
    clearTimeout(link.snapshotTimer);
    if (this.#links.get(link.stationId) !== link) return false;
    this.#links.delete(link.stationId);
    return true;
  }

  get(stationId: string): StationLink | undefined {
    return this.#links.get(stationId);
  }

  isCurrent(link: StationLink): boolean {
    return this.#links.get(link.stationId) === link;
  }

  all(): StationLink[] {
    return [...this.#links.values()];
  }
}

export function send(link: StationLink, message: Outgoing): void {
  if (link.socket.readyState === link.socket.OPEN) {
    link.socket.send(JSON.stringify({ v: protocolVersion, id: randomUUID(), ...message }));
  }
}
