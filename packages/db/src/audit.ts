import { sql } from 'kysely';
import type { CubbyDb } from './connect.js';
import { parseJson } from './json.js';
import { chainHash, sealBodies, type AuditBody } from './transaction.js';

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
