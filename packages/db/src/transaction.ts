import { createHash } from 'node:crypto';
import { canonicalJson, type CubbyEvent } from '@cubby/core';
import { sql, type Kysely, type Transaction } from 'kysely';
import { GroupCommitter } from './group-commit.js';
import { insertJobs, type JobRequest } from './jobs.js';
import { v7 as uuidv7 } from 'uuid';
import type { CubbyDb } from './connect.js';
import type { AuditEventTable, Database } from './schema.js';

export type Executor = Kysely<Database> | Transaction<Database>;

export interface AuditEntry {
  actorType: AuditEventTable['actor_type'];
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string;
  stationId?: string | null;
  transactionId?: string | null;
  data?: Record<string, unknown>;
}

/** One unit of work: its queries, the audit events it writes and the events it announces after commit. */
export interface Tx {
  db: Executor;
  dialect: CubbyDb['dialect'];
  now: number;
  audit(entry: AuditEntry): void;
  emit(event: CubbyEvent): void;
  /** Asks the job runner for work after commit (the outbox): written in this same transaction, or not at all. */
  enqueue(kind: string, payload: Record<string, unknown>, options: Omit<JobRequest, 'kind' | 'payload'>): void;
}

export const newId = (): string => uuidv7();

const committers = new WeakMap<Kysely<Database>, GroupCommitter>();
function groupCommitter(db: Kysely<Database>): GroupCommitter {
  let committer = committers.get(db);
  if (!committer) committers.set(db, (committer = new GroupCommitter(db)));
  return committer;
}

export interface TransactionOptions {
  now?: number;
  /** Receives the events of a committed transaction. */
  publish?: (events: CubbyEvent[]) => void;
}

/**
 * Runs `work` in one database transaction and appends its audit events to the
 * hash chain in that same transaction, just before commit. On SQLite each
 * unit runs in a savepoint of a group-committed BEGIN IMMEDIATE transaction
 * (see group-commit.ts); PostgreSQL runs read committed and serialises only on the chain
 * head row, which is locked last so it is held for as short a time as possible.
 */
export async function inTransaction<T>(
  cubby: CubbyDb,
  work: (tx: Tx) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const run = async (db: Executor): Promise<{ result: T; events: CubbyEvent[] }> => {
    const entries: AuditEntry[] = [];
    const events: CubbyEvent[] = [];
    const jobs: JobRequest[] = [];
    const tx: Tx = {
      db,
      dialect: cubby.dialect,
      now: options.now ?? Date.now(),
      audit: (entry) => void entries.push(entry),
      emit: (event) => void events.push(event),
      enqueue: (kind, payload, job) => void jobs.push({ ...job, kind, payload }),
    };
    const result = await work(tx);
    await insertJobs(db, jobs, tx.now);
    if (entries.length > 0) await appendAudit(tx, entries, cubby.db);
    return { result, events };
  };

  let outcome: { result: T; events: CubbyEvent[] };
  if (cubby.dialect === 'sqlite') {
    outcome = await groupCommitter(cubby.db).run(run);
  } else {
    outcome = await cubby.db.transaction().setIsolationLevel('read committed').execute(run);
  }
  if (outcome.events.length > 0) options.publish?.(outcome.events);
  return outcome.result;
}

/** SQLite: the audit chain head each database handle last wrote (see appendAudit). */
const chainHeads = new WeakMap<Kysely<Database>, { seq: number; hash: string }>();

/**
 * SQLite has one writer at a time, so each transaction seals its own events
 * into the chain. On PostgreSQL the events are written unsealed and the
 * sealer (audit.ts) chains them in commit order: locking the chain head in
 * every transaction would hold it through each commit's WAL flush and cap the
 * whole district at one commit at a time.
 */
async function appendAudit(tx: Tx, entries: AuditEntry[], handle: Kysely<Database>): Promise<void> {
  const bodies = entries.map((entry) => auditBody(null, newId(), tx.now, entry));
  if (tx.dialect === 'postgres') {
    await tx.db
      .insertInto('audit_events')
      .values(bodies.map((b) => ({ ...b, data: JSON.stringify(b.data), prev_hash: null, hash: null })))
      .execute();
    return;
  }
  // The chain head this process last wrote is a hint, not a read: the update
  // below changes the head only if it is still exactly that (no other writer,
  // no rolled-back unit since), so a stale hint costs the read it saves.
  const hinted = chainHeads.get(handle);
  if (hinted) {
    const sealed = sealBodies(bodies, hinted.seq, hinted.hash);
    const moved = await tx.db
      .updateTable('audit_chain')
      .set({ last_seq: sealed.lastSeq, last_hash: sealed.lastHash })
      .where('id', '=', 1)
      .where('last_seq', '=', hinted.seq)
      .where('last_hash', '=', hinted.hash)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) === 1) {
      await tx.db.insertInto('audit_events').values(sealed.rows).execute();
      chainHeads.set(handle, { seq: sealed.lastSeq, hash: sealed.lastHash });
      return;
    }
  }
  const chain = await tx.db
    .selectFrom('audit_chain')
    .select(['last_seq', 'last_hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const sealed = sealBodies(bodies, Number(chain.last_seq), chain.last_hash);
  await tx.db.insertInto('audit_events').values(sealed.rows).execute();
  await tx.db
    .updateTable('audit_chain')
    .set({ last_seq: sealed.lastSeq, last_hash: sealed.lastHash })
    .where('id', '=', 1)
    .execute();
  chainHeads.set(handle, { seq: sealed.lastSeq, hash: sealed.lastHash });
}

/** Gives events their place in the chain after `lastSeq`/`lastHash`. */
export function sealBodies(bodies: AuditBody[], lastSeq: number, lastHash: string) {
  let seq = lastSeq;
  let prevHash = lastHash;
  const rows: (AuditEventTable & { seq: number; prev_hash: string; hash: string })[] = [];
  for (const unsealed of bodies) {
    seq += 1;
    const body = { ...unsealed, seq };
    const hash = chainHash(prevHash, body);
    rows.push({ ...body, data: JSON.stringify(body.data), prev_hash: prevHash, hash });
    prevHash = hash;
  }
  return { rows, lastSeq: seq, lastHash: prevHash };
}

export type AuditBody = Omit<AuditEventTable, 'prev_hash' | 'hash' | 'data'> & { data: Record<string, unknown> };

function auditBody(seq: number | null, id: string, at: number, entry: AuditEntry): AuditBody {
  return {
    seq,
    id,
    at,
    actor_type: entry.actorType,
    actor_id: entry.actorId,
    action: entry.action,
    entity_type: entry.entityType,
    entity_id: entry.entityId,
    station_id: entry.stationId ?? null,
    transaction_id: entry.transactionId ?? null,
    // Hash exactly what is stored: JSON round-trip first (Dates become strings, undefined drops).
    data: entry.data ? (JSON.parse(JSON.stringify(entry.data)) as Record<string, unknown>) : {},
  };
}

/** hash = sha256(prev_hash + canonical JSON of the event). */
export function chainHash(prevHash: string, body: AuditBody): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(body)).digest('hex');
}

let savepoints = 0;

/**
 * Runs `work` in a savepoint of an open transaction. If it throws, its writes
 * are rolled back and its audit events and announcements dropped, while the
 * rest of the transaction goes on; otherwise they join the transaction's own.
 * SQLite and PostgreSQL spell savepoints the same way.
 */
export async function inSavepoint<T>(
  tx: Tx,
  work: (tx: Tx) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  const name = sql.raw(`sp_${++savepoints}`);
  const entries: AuditEntry[] = [];
  const events: CubbyEvent[] = [];
  const jobs: { kind: string; payload: Record<string, unknown>; options: Omit<JobRequest, 'kind' | 'payload'> }[] = [];
  const inner: Tx = {
    ...tx,
    audit: (entry) => void entries.push(entry),
    emit: (event) => void events.push(event),
    enqueue: (kind, payload, options) => void jobs.push({ kind, payload, options }),
  };
  await sql`savepoint ${name}`.execute(tx.db);
  try {
    const value = await work(inner);
    await sql`release savepoint ${name}`.execute(tx.db);
    for (const entry of entries) tx.audit(entry);
    for (const event of events) tx.emit(event);
    for (const job of jobs) tx.enqueue(job.kind, job.payload, job.options);
    return { ok: true, value };
  } catch (error) {
    await sql`rollback to savepoint ${name}`.execute(tx.db);
    await sql`release savepoint ${name}`.execute(tx.db);
    return { ok: false, error };
  }
}
