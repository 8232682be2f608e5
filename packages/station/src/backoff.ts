export interface BackoffOptions {
  minMs: number;
  maxMs: number;
  random?: () => number;
}

/**
 * Exponential backoff with "equal jitter": half of each step is fixed, half
 * random, so the stations of a district coming back after an outage spread
 * their reconnects instead of arriving at the server all at once.
 */
export function backoffDelay(attempt: number, { minMs, maxMs, random = Math.random }: BackoffOptions): number {
  const step = Math.min(maxMs, minMs * 2 ** attempt);
  return Math.max(minMs, Math.round(step / 2 + (random() * step) / 2));
}
