import type { KioskUpdate } from '@cubby/protocol';
import { randomUUID } from 'node:crypto';
import type { StationAgent } from './agent.js';

export interface FeedEntry {
  /** The server-sent event id: this agent run's prefix and a sequence number. */
  id: string;
  update: KioskUpdate;
}

/**
 * The agent's updates numbered for the kiosk's event stream, with the latest
 * few kept so a kiosk browser that lost its stream for a moment (a Wi-Fi
 * blip, a busy PC) gets what it missed from its `Last-Event-ID` instead of a
 * door screen that never hears "closed". The prefix changes with each agent
 * run, so an id from before a restart is never mistaken for a newer one.
 */
export class KioskFeed {
  readonly #agent: StationAgent;
  readonly #limit: number;
  readonly #run = randomUUID().slice(0, 8);
  readonly #listeners = new Set<(entry: FeedEntry) => void>();
  #entries: (FeedEntry & { seq: number })[] = [];
  #seq = 0;

  constructor(agent: StationAgent, limit = 200) {
    this.#agent = agent;
    this.#limit = Math.max(1, limit);
    agent.on('update', this.#onUpdate);
  }

  /**
   * What came after `lastEventId` and is still kept (all that is kept when it
   * is older than that); nothing when the id is not this run's.
   */
  since(lastEventId: string | null): FeedEntry[] {
    if (!lastEventId?.startsWith(`${this.#run}.`)) return [];
    const seq = Number(lastEventId.slice(this.#run.length + 1));
    if (!Number.isInteger(seq) || seq > this.#seq) return [];
    return this.#entries.filter((e) => e.seq > seq).map(({ id, update }) => ({ id, update }));
  }

  /** Calls `listener` with every update from now on; returns the way to stop. */
  subscribe(listener: (entry: FeedEntry) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#agent.off('update', this.#onUpdate);
    this.#listeners.clear();
  }

  readonly #onUpdate = (update: KioskUpdate): void => {
    this.#seq += 1;
    const entry = { id: `${this.#run}.${this.#seq}`, update };
    this.#entries.push({ ...entry, seq: this.#seq });
    if (this.#entries.length > this.#limit) this.#entries.shift();
    for (const listener of this.#listeners) listener(entry);
  };
}
