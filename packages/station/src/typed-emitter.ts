import { EventEmitter } from 'node:events';

/** Event name → listener arguments, e.g. `{ door: [number, 'open' | 'closed'] }`. */
export type EventMap = Record<string, unknown[]>;

type Listener<A extends unknown[]> = (...args: A) => void;

/**
 * node:events with the event names and arguments checked by the compiler.
 * Emitting is reserved to the owner (subclass); everyone else may only listen.
 * No event is called 'error', so a listener-less emit never throws.
 */
export class TypedEmitter<E extends EventMap> {
  readonly #emitter = new EventEmitter();

  on<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    this.#emitter.on(event, listener as Listener<unknown[]>);
    return this;
  }

  once<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    this.#emitter.once(event, listener as Listener<unknown[]>);
    return this;
  }

  off<K extends keyof E & string>(event: K, listener: Listener<E[K]>): this {
    this.#emitter.off(event, listener as Listener<unknown[]>);
    return this;
  }

  listenerCount(event: keyof E & string): number {
    return this.#emitter.listenerCount(event);
  }

  /** Raise the leak warning threshold for emitters many clients listen to (SSE). */
  setMaxListeners(count: number): this {
    this.#emitter.setMaxListeners(count);
    return this;
  }

  protected emit<K extends keyof E & string>(event: K, ...args: E[K]): boolean {
    return this.#emitter.emit(event, ...args);
  }

  protected removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
