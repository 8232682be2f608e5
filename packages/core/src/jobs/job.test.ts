import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectMove, machineContract, terminalContract, walk } from '../testing/machine-contract.js';
import { defaultRetryPolicy, jobStates, nextJob, retryDelayMs, type JobEvent, type RetryPolicy } from './job.js';

const anEvent: fc.Arbitrary<JobEvent> = fc.oneof(
  fc.record({ type: fc.constant('claim' as const), leaseExpired: fc.boolean() }),
  fc.constant({ type: 'succeed' as const }),
  fc.record({
    type: fc.constant('fail' as const),
    attempts: fc.integer({ min: 1, max: 12 }),
    maxAttempts: fc.integer({ min: 1, max: 10 }),
  }),
  fc.constant({ type: 'give_up' as const }),
);

describe('job state machine', () => {
  it.each([
    ['queued', { type: 'claim' }, 'running'],
    ['failed', { type: 'claim' }, 'running'],
    ['running', { type: 'claim' }, null],
    ['running', { type: 'claim', leaseExpired: true }, 'running'],
    ['done', { type: 'claim', leaseExpired: true }, null],
    ['dead', { type: 'claim' }, null],
    ['running', { type: 'succeed' }, 'done'],
    ['queued', { type: 'succeed' }, null],
    ['failed', { type: 'succeed' }, null],
    ['running', { type: 'fail', attempts: 1, maxAttempts: 3 }, 'failed'],
    ['running', { type: 'fail', attempts: 3, maxAttempts: 3 }, 'dead'],
    ['queued', { type: 'fail', attempts: 1, maxAttempts: 3 }, null],
    ['running', { type: 'give_up' }, 'dead'],
    ['failed', { type: 'give_up' }, null],
  ] as const)('a %s job given %j becomes %s (null: refused)', (from, event, to) =>
    expectMove(nextJob(from, event as JobEvent), to),
  );

  it('a job that keeps failing is retried until its last attempt, then dead', () => {
    const maxAttempts = 4;
    const events: JobEvent[] = [];
    for (let n = 1; n <= maxAttempts; n++) events.push({ type: 'claim' }, { type: 'fail', attempts: n, maxAttempts });
    const { steps, end } = walk(nextJob, 'queued', events);
    expect(steps.map((s) => s.result)).toEqual([
      'running',
      'failed',
      'running',
      'failed',
      'running',
      'failed',
      'running',
      'dead',
    ]);
    expect(end).toBe('dead');
  });

  it('any sequence of events keeps a job in a declared state and refuses only with invalid_transition', () => {
    fc.assert(machineContract(nextJob, jobStates, anEvent), { numRuns: 500 });
  });

  it('done and dead are final: nothing moves them (a resend is a new job)', () => {
    fc.assert(terminalContract(nextJob, 'done', anEvent), { numRuns: 200 });
    fc.assert(terminalContract(nextJob, 'dead', anEvent), { numRuns: 200 });
  });

  it('a job succeeds at most once in any walk', () => {
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 40 }), (events) => {
        const { steps } = walk(nextJob, 'queued', events);
        expect(steps.filter((s) => s.result === 'done').length).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('retry backoff', () => {
  const plain: RetryPolicy = { maxAttempts: 8, baseMs: 1000, maxMs: 60_000, jitter: 0 };

  it('doubles from the base after each failed attempt up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => retryDelayMs(n, plain))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000,
    ]);
  });

  it('the default waits a minute, then two, four… and never more than an hour (±20%)', () => {
    expect(retryDelayMs(1)).toBe(60_000);
    expect(retryDelayMs(3)).toBe(240_000);
    expect(retryDelayMs(50)).toBe(3_600_000);
    expect(retryDelayMs(1, defaultRetryPolicy, 0)).toBe(48_000);
    expect(retryDelayMs(50, defaultRetryPolicy, 0.999999)).toBeLessThanOrEqual(4_320_000);
  });

  it('for any policy and attempt the wait is within the jitter of base·2^(n−1) capped, and never shrinks as attempts grow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.double({ min: 0, max: 0.9, noNaN: true }),
        fc.integer({ min: -3, max: 200 }),
        fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
        (baseMs, extra, jitter, attempts, random) => {
          const policy = { maxAttempts: 5, baseMs, maxMs: baseMs + extra, jitter };
          const wait = retryDelayMs(attempts, policy, random);
          const plainWait = Math.min(policy.maxMs, baseMs * 2 ** (Math.max(attempts, 1) - 1));
          expect(wait).toBeGreaterThanOrEqual(Math.floor(plainWait * (1 - jitter)) - 1);
          expect(wait).toBeLessThanOrEqual(Math.ceil(plainWait * (1 + jitter)) + 1);
          expect(retryDelayMs(attempts + 1, policy, random)).toBeGreaterThanOrEqual(wait);
          expect(Number.isFinite(wait)).toBe(true);
        },
      ),
    );
  });
});
