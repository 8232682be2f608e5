import argon2 from 'argon2';
import pLimit, { type LimitFunction } from 'p-limit';
import { DomainError } from '@cubby/core';

/**
 * Every argon2id hash and check of this process (dashboard passwords, kiosk
 * PINs) goes through one small gate. Each costs tens of milliseconds of CPU
 * and memory on libuv's thread pool, so a flood of sign-ins would otherwise
 * take every thread and every core: at most `concurrency` run at once, at
 * most `queue` wait, and beyond that the caller is told to come back (503
 * with Retry-After) instead of waiting seconds behind the flood.
 */
export class PasswordHasher {
  readonly #limit: LimitFunction;

  constructor(
    concurrency: number,
    private readonly queue: number,
  ) {
    this.#limit = pLimit(concurrency);
  }

  hash(secret: string): Promise<string> {
    return this.#run(() => argon2.hash(secret, { type: argon2.argon2id }));
  }

  verify(hash: string, secret: string): Promise<boolean> {
    return this.#run(() => argon2.verify(hash, secret));
  }

  /** Hashes running and waiting. */
  get load(): { running: number; waiting: number } {
    return { running: this.#limit.activeCount, waiting: this.#limit.pendingCount };
  }

  #run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#limit.pendingCount >= this.queue) {
      return Promise.reject(
        new DomainError('busy', 'The server is checking too many passwords at once; try again in a moment', { retryAfter: 1 }),
      );
    }
    return this.#limit(work);
  }
}
