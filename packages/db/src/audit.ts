import { DomainError } from '@cubby/core';
import { sql, type Selection } from 'kysely';
import type { CubbyDb } from './connect.js';
import { matchesText, noRows, type ListArgs } from './paging.js';
import type { AuditEventTable, Database } from './schema.js';
import { parseJson } from './json.js';
import { chainHash, sealBodies, type AuditBody, type Executor } from './transaction.js';

export type AuditVerification =
  | { ok: true; events: number; lastHash: string; unsealed: number }
  | { ok: false; events: number; brokenAtSeq: number; reason: string; unsealed: number };

const genesis = '0'.repeat(64);

/**
 * Chains committed but unsealed audit events (PostgreSQL writes them so) in
 * the order they are found, under the chain-head row lock, so several server
 * instances can run it at once without forking the chain. Returns how many it sealed.
 */
export async function sealAuditChain(cubby: CubbyDb, batch = 2000): Promise<number> {
  let total = 0;
  for (;;) {
    const sealed = await cubby.db.transaction().execute(async (trx) => {
      let head = trx.selectFrom('audit_chain').select(['last_seq', 'last_hash']).where('id', '=', 1);
      if (cubby.dialect === 'postgres') head = head.forUpdate();
      const chain = await head.executeTakeFirstOrThrow();
      const pending = await trx
        .selectFrom('audit_events')
        .selectAll()
        .where('seq', 'is', null)
        .orderBy('at')
        .orderBy('id')
        .limit(batch)
        .execute();
      if (pending.length === 0) return 0;
      const bodies: AuditBody[] = pending.map(({ prev_hash: _p, hash: _h, data, ...rest }) => ({
        ...rest,
        at: Number(rest.at),
        data: parseJson(data),
      }));
      const { rows, lastSeq, lastHash } = sealBodies(bodies, Number(chain.last_seq), chain.last_hash);
      const values = sql.join(rows.map((r) => sql`(${r.id}, ${r.seq}, ${r.prev_hash}, ${r.hash})`));
      if (cubby.dialect === 'postgres') {
        await sql`update audit_events as a set seq = v.seq::bigint, prev_hash = v.prev_hash, hash = v.hash
          from (values ${values}) as v(id, seq, prev_hash, hash) where a.id = v.id`.execute(trx);
      } else {
        for (const r of rows)
          await trx
            .updateTable('audit_events')
            .set({ seq: r.seq, prev_hash: r.prev_hash, hash: r.hash })
            .where('id', '=', r.id)
            .execute();
      }
      await trx.updateTable('audit_chain').set({ last_seq: lastSeq, last_hash: lastHash }).where('id', '=', 1).execute();
      return rows.length;
    });
    total += sealed;
    if (sealed < batch) return total;
  }
}

/** Walks the sealed audit chain in order and reports the first broken link. */
export async function verifyAuditChain(cubby: CubbyDb, pageSize = 5000): Promise<AuditVerification> {
  const unsealedRow = await cubby.db
    .selectFrom('audit_events')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('seq', 'is', null)
    .executeTakeFirstOrThrow();
  const unsealed = Number(unsealedRow.n);
  let prevHash = genesis;
  let expectedSeq = 1;
  let checked = 0;
  for (;;) {
    const rows = await cubby.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(pageSize)
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      const broken = (reason: string): AuditVerification => ({ ok: false, events: checked, brokenAtSeq: seq, reason, unsealed });
      if (seq !== expectedSeq) return { ok: false, events: checked, brokenAtSeq: expectedSeq, reason: 'event missing', unsealed };
      if (row.prev_hash !== prevHash) return broken('prev_hash does not match the previous event');
      const { prev_hash: _p, hash, data, ...rest } = row;
      const body: AuditBody = { ...rest, seq, at: Number(row.at), data: parseJson(data) };
      if (chainHash(prevHash, body) !== hash) return broken('event content does not match its hash');
      prevHash = hash;
      expectedSeq += 1;
      checked += 1;
    }
    if (rows.length < pageSize) break;
  }
  const head = await cubby.db.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!head || Number(head.last_seq) !== checked || head.last_hash !== prevHash) {
    return { ok: false, events: checked, brokenAtSeq: checked + 1, reason: 'chain head does not match the last event', unsealed };
  }
  return { ok: true, events: checked, lastHash: prevHash, unsealed };
}

// ---- The audit log as the read API lists it (GET /api/v1/audit-events) ----

/** An audit event as the API shows it (the log adds its chain hashes; a privacy export does not). */
export const auditEventColumns = [
  'seq',
  'id',
  'at',
  'actor_type as actorType',
  'actor_id as actorId',
  'action',
  'entity_type as entityType',
  'entity_id as entityId',
  'station_id as stationId',
  'transaction_id as transactionId',
  'data',
] as const;

/** The list's columns of a sealed event (its seq set, so its hashes too). */
export const listedAuditEventColumns = [...auditEventColumns, 'prev_hash as prevHash', 'hash'] as const;

type ListedAuditRow = Selection<Database, 'audit_events', (typeof listedAuditEventColumns)[number]>;

/** A row of `listedAuditEventColumns` as the audit log answers it. */
export function toListedAuditEvent(r: ListedAuditRow) {
  return {
    ...r,
    seq: Number(r.seq),
    at: Number(r.at),
    data: parseJson<Record<string, unknown>>(r.data),
    prevHash: r.prevHash!,
    hash: r.hash!,
  };
}

/**
 * The audit log by sequence number (newest first by default; the cursor is a
 * sequence number). Within a time range (`from`, `to`) it goes by time, then
 * sequence number, so the (at, seq) index finds the range's start instead of
 * walking millions of events before it; the cursor is then `at-seq`. A
 * campus-limited caller sees its stations' events only.
 */
export async function listAuditEvents(
  db: Executor,
  args: ListArgs & {
    entityType?: string | undefined;
    entityId?: string | undefined;
    action?: string | undefined;
    transactionId?: string | undefined;
    stationId?: string | undefined;
    actorType?: AuditEventTable['actor_type'] | undefined;
    actorId?: string | undefined;
    from?: number | undefined;
    to?: number | undefined;
  },
) {
  if (args.sort && args.sort !== 'seq') throw new DomainError('bad_request', 'sort must be seq');
  const order = args.order ?? 'desc';
  const ranged = args.from !== undefined || args.to !== undefined;
  // Only sealed events: they have their place in the chain (unsealed ones are moments old).
  let q = db.selectFrom('audit_events').select(listedAuditEventColumns).where('seq', 'is not', null);
  if (args.scope) {
    q = args.scope.length
      ? q.where('station_id', 'in', (eb) =>
          eb.selectFrom('stations').select('stations.id').where('stations.site_id', 'in', args.scope!),
        )
      : q.where(noRows);
  }
  if (args.entityType) q = q.where('entity_type', '=', args.entityType);
  if (args.entityId) q = q.where('entity_id', '=', args.entityId);
  if (args.action) q = q.where('action', '=', args.action);
  if (args.transactionId) q = q.where('transaction_id', '=', args.transactionId);
  if (args.stationId) q = q.where('station_id', '=', args.stationId);
  if (args.actorType) q = q.where('actor_type', '=', args.actorType);
  if (args.actorId) q = q.where('actor_id', '=', args.actorId);
  if (args.from !== undefined) q = q.where('at', '>=', args.from);
  if (args.to !== undefined) q = q.where('at', '<', args.to);
  if (args.q) q = q.where(matchesText(args.q, ['action', 'entity_id', 'actor_id']));
  const after = order === 'desc' ? '<' : '>';
  if (args.cursor) {
    const { at, seq } = auditCursor(args.cursor, ranged);
    // The bound on `at` alone is what an index range starts from; the OR makes it exact.
    if (at !== undefined)
      q = q.where('at', order === 'desc' ? '<=' : '>=', at).where((eb) => eb.or([eb('at', after, at), eb('seq', after, seq)]));
    else q = q.where('seq', after, seq);
  }
  if (ranged) q = q.orderBy('at', order);
  const rows = await q
    .orderBy('seq', order)
    .limit(args.limit + 1)
    .execute();
  const items = rows.slice(0, args.limit).map(toListedAuditEvent);
  const last = items.at(-1);
  const more = rows.length > args.limit && last;
  return { items, nextCursor: more ? (ranged ? `${last.at}-${last.seq}` : String(last.seq)) : null };
}

/** An audit cursor: `seq`, or `at-seq` within a time range; one from the other listing is refused. */
function auditCursor(cursor: string, ranged: boolean): { at?: number; seq: number } {
  const match = /^(?:(\d{1,15})-)?(\d{1,15})$/.exec(cursor);
  if (!match || (match[1] !== undefined) !== ranged) throw new DomainError('bad_request', 'cursor is not one this list gave out');
  return match[1] !== undefined ? { at: Number(match[1]), seq: Number(match[2]) } : { seq: Number(match[2]) };
}

/**
 * Appends events written outside any kiosk transaction (the demo's history) to
 * the audit chain in the order given, sealed, in batches of 100 rows.
 */
export async function appendSealedAuditEvents(db: import('./transaction.js').Executor, bodies: AuditBody[]): Promise<void> {
  const chain = await db
    .selectFrom('audit_chain')
    .select(['last_seq', 'last_hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  const sealed = sealBodies(bodies, Number(chain.last_seq), chain.last_hash);
  for (let i = 0; i < sealed.rows.length; i += 100)
    await db
      .insertInto('audit_events')
      .values(sealed.rows.slice(i, i + 100))
      .execute();
  await db.updateTable('audit_chain').set({ last_seq: sealed.lastSeq, last_hash: sealed.lastHash }).where('id', '=', 1).execute();
}
