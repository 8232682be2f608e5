/**
 * Wrong-PIN lockout, per student number. Kept in memory on purpose: a refused
 * PIN must change nothing in the database, and the window is short. (With
 * several server instances each keeps its own count; see docs/operations.md.)
 */
export class PinLimiter {
  readonly #failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(
    private readonly maxFailures: number,
    private readonly lockoutMs: number,
  ) {}

  isLockedOut(key: string, now: number): boolean {
    const entry = this.#failures.get(key);
    return entry !== undefined && entry.lockedUntil > now;
  }

  recordFailure(key: string, now: number): void {
    const entry = this.#failures.get(key) ?? { count: 0, lockedUntil: 0 };
    if (entry.lockedUntil !== 0 && entry.lockedUntil <= now) entry.count = 0;
    entry.count += 1;
    entry.lockedUntil = entry.count >= this.maxFailures ? now + this.lockoutMs : 0;
    this.#failures.set(key, entry);
    if (this.#failures.size > 100_000) this.#failures.clear();
  }

  recordSuccess(key: string): void {
    this.#failures.delete(key);
  }
}
