import type { TransactionView } from '@cubby/protocol';
import { BoundedMap } from './bounded-map.js';
import { StationRequestError } from './request-error.js';

interface TransactionWaiter {
  accepts: (transaction: TransactionView) => boolean;
  settle: (transaction: TransactionView | Error) => void;
}

/**
 * The latest known state of the station's recent transactions, as the
 * server's pushes (or offline mode) told it, and who is waiting for which.
 */
export class TransactionBook {
  readonly #transactions: BoundedMap<string, TransactionView>;
  readonly #waiters = new Map<string, Set<TransactionWaiter>>();

  constructor(limit: number) {
    this.#transactions = new BoundedMap(limit);
  }

  get(id: string): TransactionView | undefined {
    return this.#transactions.get(id);
  }

  has(id: string): boolean {
    return this.#transactions.has(id);
  }

  record(transaction: TransactionView): void {
    this.#transactions.set(transaction.id, transaction);
    for (const waiter of [...(this.#waiters.get(transaction.id) ?? [])]) {
      if (waiter.accepts(transaction)) waiter.settle(transaction);
    }
  }

  /** Resolves with the first known state of the transaction that `accepts`. */
  waitFor(id: string, accepts: (transaction: TransactionView) => boolean, timeoutMs: number): Promise<TransactionView> {
    const known = this.#transactions.get(id);
    if (known && accepts(known)) return Promise.resolve(known);
    return new Promise<TransactionView>((resolve, reject) => {
      const waiters = this.#waiters.get(id) ?? new Set<TransactionWaiter>();
      this.#waiters.set(id, waiters);
      const waiter: TransactionWaiter = {
        accepts,
        settle: (outcome) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (waiters.size === 0) this.#waiters.delete(id);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      };
      const timer = setTimeout(
        () =>
          waiter.settle(
            StationRequestError.of('timeout', `transaction ${id} did not reach the awaited state in ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      waiters.add(waiter);
    });
  }

  /** Ends every wait with `error` (the agent is closing). */
  rejectAll(error: Error): void {
    for (const waiters of [...this.#waiters.values()]) for (const waiter of [...waiters]) waiter.settle(error);
  }
}
