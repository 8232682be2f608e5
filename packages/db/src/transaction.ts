import { createHash } from 'node:crypto';
import { canonicalJson, type CubbyEvent } from '@cubby/core';
import { sql, type Kysely, type Transaction } from 'kysely';
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
}

export const newId = (): string => uuidv7();

export interface TransactionOptions {
  now?: number;
  /** Receives the events of a committed transaction. */
  publish?: (events: CubbyEvent[]) => void;
}

/**
 * Runs `work` in one database transaction and appends its audit events to the
 * hash chain in that same transaction, just before commit. SQLite takes the
 * write lock up front (BEGIN IMMEDIATE) so two writers never deadlock on
 * upgrade; PostgreSQL runs read committed and serialises only on the chain
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
    const tx: Tx = {
      db,
      dialect: cubby.dialect,
      now: options.now ?? Date.now(),
      audit: (entry) => void entries.push(entry),
      emit: (event) => void events.push(event),
    };
    const result = await work(tx);
    if (entries.length > 0) await appendAudit(tx, entries);
    return { result, events };
  };

  let outcome: { result: T; events: CubbyEvent[] };
  if (cubby.dialect === 'sqlite') {
    outcome = await cubby.db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const out = await run(conn);
        await sql`commit`.execute(conn);
        return out;
      } catch (error) {
        await sql`rollback`.execute(conn);
        throw error;
      }
    });
  } else {
    outcome = await cubby.db.transaction().setIsolationLevel('read committed').execute(run);
  }
  if (outcome.events.length > 0) options.publish?.(outcome.events);
  return outcome.result;
}

async function appendAudit(tx: Tx, entries: AuditEntry[]): Promise<void> {
  let head = tx.db.selectFrom('audit_chain').select(['last_seq', 'last_hash']).where('id', '=', 1);
  if (tx.dialect === 'postgres') head = head.forUpdate();
  const chain = await head.executeTakeFirstOrThrow();
  let seq = Number(chain.last_seq);
  let prevHash = chain.last_hash;
  const rows: AuditEventTable[] = [];
  for (const entry of entries) {
    seq += 1;
    const body = auditBody(seq, newId(), tx.now, entry);
    const hash = chainHash(prevHash, body);
    rows.push({ ...body, data: JSON.stringify(body.data), prev_hash: prevHash, hash });
    prevHash = hash;
  }
  await tx.db.insertInto('audit_events').values(rows).execute();
  await tx.db.updateTable('audit_chain').set({ last_seq: seq, last_hash: prevHash }).where('id', '=', 1).execute();
}

export type AuditBody = Omit<AuditEventTable, 'prev_hash' | 'hash' | 'data'> & { data: Record<string, unknown> };

function auditBody(seq: number, id: string, at: number, entry: AuditEntry): AuditBody {
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
