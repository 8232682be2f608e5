import { randomUUID } from 'node:crypto';
import { nextJob, retryDelayMs, type RetryPolicy } from '@cubby/core';
import { buryAbandonedJobs, claimDueJobs, failJob, finishJob, type ClaimedJob, type CubbyDb } from '@cubby/db';
import type { Logger } from 'pino';
import { everyInterval, type Job } from './interval.js';

/**
 * The durable job runner (docs/notifications.md). Every `pollMs` it claims
 * due jobs under a lease (PostgreSQL: FOR UPDATE SKIP LOCKED, so several
 * server instances never take the same job; SQLite: in this process, BEGIN
 * IMMEDIATE), runs each job's handler by kind, and records the outcome with a
 * conditional update on its own claim: done (with what the handler produced,
 * in the same write), failed (due again after the backoff), or dead after its
 * last attempt. A process killed mid-job leaves its lease to expire; the job is
 * then claimed again.
 */
export interface JobContext {
  job: ClaimedJob;
  /** The claim's attempt number (1 = the first). */
  attempt: number;
}

/** A handler's result is recorded with `done`; it throws to fail the attempt. */
export type JobHandler = (context: JobContext) => Promise<Record<string, unknown>>;

/** A failure that waiting will not cure (a refused address, a job that names nothing): dead at once. */
export class PermanentJobFailure extends Error {}

export interface RunnerSettings {
  pollMs: number;
  leaseMs: number;
  batch: number;
  /** Attempts in all before a job is dead (a job may ask for fewer). */
  maxAttempts: number;
  retry: Omit<RetryPolicy, 'maxAttempts'>;
}

export const defaultRunnerSettings: RunnerSettings = {
  pollMs: 1000,
  leaseMs: 120_000,
  batch: 10,
  maxAttempts: 8,
  retry: { baseMs: 60_000, maxMs: 3_600_000, jitter: 0.2 },
};

export interface JobRunner extends Job {
  /** This process's runner name (the jobs' claimed_by). */
  readonly worker: string;
  /** Claims and runs one batch now: the number of jobs it ran. */
  runOnce(): Promise<number>;
}

export function startJobRunner(
  cubby: CubbyDb,
  log: Logger,
  handlers: Record<string, JobHandler>,
  settings: Partial<RunnerSettings> & { clock?: () => number; random?: () => number; worker?: string } = {},
): JobRunner {
  const s = { ...defaultRunnerSettings, ...settings };
  const clock = settings.clock ?? Date.now;
  const random = settings.random ?? Math.random;
  const worker = settings.worker ?? `runner-${randomUUID()}`;

  async function runJob(job: ClaimedJob): Promise<void> {
    const claim = { id: job.id, worker, attempts: job.attempts };
    const handler = handlers[job.kind];
    try {
      if (!handler) throw new PermanentJobFailure(`no handler for jobs of kind ${job.kind}`);
      const result = await handler({ job, attempt: job.attempts });
      if (!(await finishJob(cubby.db, claim, { ...result, worker }, clock()))) {
        log.warn({ jobId: job.id, kind: job.kind }, 'a job finished after its lease was taken over');
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permanent = error instanceof PermanentJobFailure;
      const next = nextJob('running', {
        type: 'fail',
        attempts: permanent ? job.maxAttempts : job.attempts,
        maxAttempts: job.maxAttempts,
      });
      const state = next === 'dead' ? 'dead' : 'failed';
      const runAt =
        clock() + (state === 'dead' ? 0 : retryDelayMs(job.attempts, { ...s.retry, maxAttempts: job.maxAttempts }, random()));
      await failJob(cubby.db, claim, { state, error: message, runAt }, clock());
      log.warn({ jobId: job.id, kind: job.kind, attempt: job.attempts, state, error: message }, 'a job attempt failed');
    }
  }

  async function runOnce(): Promise<number> {
    const now = clock();
    const buried = await buryAbandonedJobs(cubby.db, now, s.maxAttempts);
    if (buried > 0) log.warn({ buried }, 'jobs whose runner stopped during their last attempt are dead');
    const jobs = await claimDueJobs(cubby, { worker, now, leaseMs: s.leaseMs, limit: s.batch, maxAttempts: s.maxAttempts });
    await Promise.all(jobs.map(runJob));
    return jobs.length;
  }

  const loop = everyInterval(s.pollMs, log, 'the job runner pass failed', async (stopped) => {
    // A full batch means more may be due: keep going until the queue is drained or the server stops.
    while (!stopped() && (await runOnce()) === s.batch);
  });
  return { worker, runOnce, idle: loop.idle, stop: loop.stop };
}
