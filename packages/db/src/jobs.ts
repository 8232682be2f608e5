import { claimableJobStates, type JobState } from '@cubby/core';
import type { CubbyDb } from './connect.js';
import { parseJson } from './json.js';
import type { JobTable } from './schema.js';
import { inTransaction, newId, type Executor } from './transaction.js';

/** What a transaction asks the runner to do once it commits (Tx.enqueue). */
export interface JobRequest {
  kind: string;
  payload: Record<string, unknown>;
  /** One cause, one job: a second enqueue with the same key is dropped. */
  key: string;
  /** Not before this time (default: at once). */
  runAt?: number;
  maxAttempts?: number;
}

/** Attempts a job gets when its enqueue names none (the runner's policy may lower the retry count it uses). */
export const defaultJobMaxAttempts = 8;

export function jobRow(request: JobRequest, now: number): JobTable {
  return {
    id: newId(),
    kind: request.kind,
    payload: JSON.stringify(request.payload),
    state: 'queued',
    attempts: 0,
    max_attempts: request.maxAttempts ?? defaultJobMaxAttempts,
    run_at: request.runAt ?? now,
    claimed_by: null,
    claimed_until: null,
    last_error: null,
    result: null,
    dedupe_key: request.key,
    created_at: now,
    updated_at: now,
    finished_at: null,
  };
}

/** Writes jobs in the caller's transaction; a key already taken keeps its first job. */
export async function insertJobs(db: Executor, requests: JobRequest[], now: number): Promise<void> {
  if (requests.length === 0) return;
  await db
    .insertInto('jobs')
    .values(requests.map((r) => jobRow(r, now)))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .execute();
}

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  maxAttempts: number;
  createdAt: number;
}

/** The claim's statement: due jobs (and running ones whose lease ran out), oldest first. */
export function claimDueJobsQuery(
  db: Executor,
  dialect: CubbyDb['dialect'],
  worker: string,
  now: number,
  leaseMs: number,
  limit: number,
  /** The runner's own cap on attempts (CUBBY_JOBS_MAX_ATTEMPTS), below a job's own. */
  maxAttempts = defaultJobMaxAttempts,
) {
  let due = db
    .selectFrom('jobs')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('state', 'in', claimableJobStates), eb('run_at', '<=', now)]),
        eb.and([eb('state', '=', 'running'), eb('claimed_until', '<', now)]),
      ]),
    )
    .where((eb) => eb('attempts', '<', eb.ref('max_attempts')))
    .where('attempts', '<', maxAttempts)
    .orderBy('run_at')
    .limit(limit);
  // Several servers on one PostgreSQL each take different rows, never waiting on one another's.
  if (dialect === 'postgres') due = due.forUpdate().skipLocked();
  return db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'running' as JobState,
      attempts: eb('attempts', '+', 1),
      claimed_by: worker,
      claimed_until: now + leaseMs,
      updated_at: now,
    }))
    .where('id', 'in', due)
    .returning(['id', 'kind', 'payload', 'attempts', 'max_attempts', 'created_at']);
}

/**
 * Claims up to `limit` due jobs for `worker` under a lease. On SQLite it runs
 * in a BEGIN IMMEDIATE transaction (one writer); on PostgreSQL the rows are
 * locked with SKIP LOCKED so concurrent claims never take the same job.
 */
export async function claimDueJobs(
  cubby: CubbyDb,
  options: { worker: string; now: number; leaseMs: number; limit: number; maxAttempts?: number },
): Promise<ClaimedJob[]> {
  const rows = await inTransaction(cubby, (tx) =>
    claimDueJobsQuery(
      tx.db,
      cubby.dialect,
      options.worker,
      options.now,
      options.leaseMs,
      options.limit,
      options.maxAttempts,
    ).execute(),
  );
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    payload: parseJson(r.payload),
    attempts: Number(r.attempts),
    maxAttempts: Math.min(Number(r.max_attempts), options.maxAttempts ?? defaultJobMaxAttempts),
    createdAt: Number(r.created_at),
  }));
}

/** Running jobs whose holder died after their last attempt: nobody will run them again. */
export async function buryAbandonedJobs(db: Executor, now: number, maxAttempts = defaultJobMaxAttempts): Promise<number> {
  const r = await db
    .updateTable('jobs')
    .set({
      state: 'dead',
      claimed_by: null,
      claimed_until: null,
      last_error: 'the runner stopped during the last attempt',
      updated_at: now,
      finished_at: now,
    })
    .where('state', '=', 'running')
    .where('claimed_until', '<', now)
    .where((eb) => eb.or([eb('attempts', '>=', eb.ref('max_attempts')), eb('attempts', '>=', maxAttempts)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The holder's conditional update: only the claim it made (worker and attempt) may end the job. */
function heldJob(db: Executor, id: string, worker: string, attempts: number) {
  return db
    .updateTable('jobs')
    .where('id', '=', id)
    .where('state', '=', 'running')
    .where('claimed_by', '=', worker)
    .where('attempts', '=', attempts);
}

/** The job is done; what it produced is recorded in the same write. False: the claim was lost (lease expired and taken over). */
export async function finishJob(
  db: Executor,
  job: { id: string; worker: string; attempts: number },
  result: Record<string, unknown>,
  now: number,
): Promise<boolean> {
  const r = await heldJob(db, job.id, job.worker, job.attempts)
    .set({
      state: 'done',
      result: JSON.stringify(result),
      claimed_by: null,
      claimed_until: null,
      last_error: null,
      updated_at: now,
      finished_at: now,
    })
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** The attempt failed: `failed` (due again at `runAt`) or `dead`. */
export async function failJob(
  db: Executor,
  job: { id: string; worker: string; attempts: number },
  outcome: { state: 'failed' | 'dead'; error: string; runAt: number },
  now: number,
): Promise<boolean> {
  const r = await heldJob(db, job.id, job.worker, job.attempts)
    .set({
      state: outcome.state,
      last_error: outcome.error.slice(0, 2000),
      run_at: outcome.runAt,
      claimed_by: null,
      claimed_until: null,
      updated_at: now,
      finished_at: outcome.state === 'dead' ? now : null,
    })
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A runner stopping on purpose hands its claims back at once rather than leaving them to expire. */
export async function releaseJobs(db: Executor, worker: string, now: number): Promise<void> {
  await db
    .updateTable('jobs')
    .set((eb) => ({
      state: 'queued' as JobState,
      attempts: eb('attempts', '-', 1),
      claimed_by: null,
      claimed_until: null,
      updated_at: now,
    }))
    .where('state', '=', 'running')
    .where('claimed_by', '=', worker)
    .execute();
}

export interface JobRecord extends Omit<JobTable, 'payload' | 'result'> {
  payload: Record<string, unknown>;
  result: Record<string, unknown> | null;
}

function toRecord(row: JobTable): JobRecord {
  return {
    ...row,
    attempts: Number(row.attempts),
    max_attempts: Number(row.max_attempts),
    run_at: Number(row.run_at),
    created_at: Number(row.created_at),
    updated_at: Number(row.updated_at),
    claimed_until: row.claimed_until === null ? null : Number(row.claimed_until),
    finished_at: row.finished_at === null ? null : Number(row.finished_at),
    payload: parseJson(row.payload),
    result: row.result === null ? null : parseJson(row.result),
  };
}

export async function findJob(db: Executor, id: string): Promise<JobRecord | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRecord(row);
}

/** Jobs of a kind, newest first, optionally in some states; `before` pages on created_at. */
export async function listJobs(
  db: Executor,
  filter: { kind: string; states?: readonly JobState[]; retried?: boolean; before?: number; limit: number },
): Promise<JobRecord[]> {
  let q = db.selectFrom('jobs').selectAll().where('kind', '=', filter.kind);
  if (filter.states && filter.states.length > 0) q = q.where('state', 'in', filter.states);
  if (filter.retried) q = q.where('attempts', '>', 1);
  if (filter.before !== undefined) q = q.where('created_at', '<', filter.before);
  const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
  return rows.map(toRecord);
}

/** The job a dedupe key names (the one its cause enqueued). */
export async function findJobByKey(db: Executor, key: string): Promise<JobRecord | undefined> {
  const row = await db.selectFrom('jobs').selectAll().where('dedupe_key', '=', key).executeTakeFirst();
  return row && toRecord(row);
}
