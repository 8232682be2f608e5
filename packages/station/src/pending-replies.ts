import { StationRequestError } from './request-error.js';

interface Waiter<R> {
  resolve: (reply: R) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Requests sent to the server and not yet answered, by message id, each with its own deadline. */
export class PendingReplies<R> {
  readonly #waiters = new Map<string, Waiter<R>>();

  get size(): number {
    return this.#waiters.size;
  }

  wait(id: string, timeoutMs: number, what: string): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(id);
        reject(StationRequestError.of('timeout', `no answer to ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.set(id, { resolve, reject, timer });
    });
  }

  /** Returns false when nobody waits for this id (any more). */
  resolve(id: string, reply: R): boolean {
    const waiter = this.#take(id);
    waiter?.resolve(reply);
    return waiter !== undefined;
  }

  reject(id: string, error: Error): boolean {
    const waiter = this.#take(id);
    waiter?.reject(error);
    return waiter !== undefined;
  }

  rejectAll(error: Error): void {
    for (const id of [...this.#waiters.keys()]) this.reject(id, error);
  }

  #take(id: string): Waiter<R> | undefined {
    const waiter = this.#waiters.get(id);
    if (!waiter) return undefined;
    this.#waiters.delete(id);
    clearTimeout(waiter.timer);
    return waiter;
  }
}
