import { assertNever, invalidTransition, type DomainError } from '../errors.js';

/**
 * A durable job (the outbox, docs/notifications.md): written in the same
 * transaction as the change that causes it, claimed by one runner at a time
 * under a lease, retried with backoff, and given up (`dead`) after its last
 * attempt. `failed` means "an attempt failed; due again at its run time".
 */
export const jobStates = ['queued', 'running', 'done', 'failed', 'dead'] as const;
export type JobState = (typeof jobStates)[number];

export type JobEvent =
  /** A runner takes the job; from `running` only once the holder's lease has expired (a killed process). */
  | { type: 'claim'; leaseExpired?: boolean }
  | { type: 'succeed' }
  /** The attempt failed: `attempts` counts this one. */
  | { type: 'fail'; attempts: number; maxAttempts: number }
  /** The last holder's lease expired after its last attempt: nobody will try again. */
  | { type: 'give_up' };

export function nextJob(state: JobState, event: JobEvent): JobState | DomainError {
  const refuse = () => invalidTransition('job', state, event.type);
  switch (event.type) {
    case 'claim':
      if (state === 'queued' || state === 'failed') return 'running';
      return state === 'running' && event.leaseExpired === true ? 'running' : refuse();
    case 'succeed':
      return state === 'running' ? 'done' : refuse();
    case 'fail':
      if (state !== 'running') return refuse();
      return event.attempts >= event.maxAttempts ? 'dead' : 'failed';
    case 'give_up':
      return state === 'running' ? 'dead' : refuse();
    default:
      return assertNever(event);
  }
}

/** The states a runner may claim from (running only with an expired lease). */
export const claimableJobStates = ['queued', 'failed'] as const satisfies readonly JobState[];

export interface RetryPolicy {
  /** Attempts in all, the first included, before a job is `dead`. */
  maxAttempts: number;
  /** Wait after the first failed attempt; each next one doubles it… */
  baseMs: number;
  /** …up to this. */
  maxMs: number;
  /** Each wait is spread by ±this fraction, so many jobs failing at once do not retry at once. */
  jitter: number;
}

export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 8, baseMs: 60_000, maxMs: 3_600_000, jitter: 0.2 };

/**
 * How long to wait after failed attempt number `attempts` (1 = the first):
 * base·2^(attempts−1), capped at max, spread by the jitter. `random` is in
 * [0, 1) (Math.random in the runner, fixed in tests); 0.5 is the plain value.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy = defaultRetryPolicy, random = 0.5): number {
  const exponent = Math.min(Math.max(attempts, 1) - 1, 40);
  const plain = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  const spread = 1 + policy.jitter * (2 * Math.min(Math.max(random, 0), 1) - 1);
  return Math.round(plain * spread);
}
