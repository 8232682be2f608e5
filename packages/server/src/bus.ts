import type { CubbyEvent } from '@cubby/core';

type Listener = (event: CubbyEvent) => void;

/**
 * In-process fan-out of committed changes. Subscribers (the station gateway,
 * realtime feeds) must not throw into the publisher: a failing listener is
 * reported and the rest still run.
 */
export class EventBus {
  readonly #listeners = new Set<Listener>();

  constructor(private readonly onListenerError: (error: unknown) => void = () => {}) {}

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  publish = (events: CubbyEvent[]): void => {
    for (const event of events) {
      for (const listener of this.#listeners) {
        try {
          listener(event);
        } catch (error) {
          this.onListenerError(error);
        }
      }
    }
  };
}
