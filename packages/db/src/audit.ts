import type { CubbyDb } from './connect.js';
import { chainHash, type AuditBody } from './transaction.js';
import { parseJson } from './json.js';

export type AuditVerification =
  | { ok: true; events: number; lastHash: string }
  | { ok: false; events: number; brokenAtSeq: number; reason: string };

const genesis = '0'.repeat(64);

/** Walks the audit chain in order and reports the first broken link. */
export async function verifyAuditChain(cubby: CubbyDb, pageSize = 5000): Promise<AuditVerification> {
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
      const broken = (reason: string): AuditVerification => ({ ok: false, events: checked, brokenAtSeq: seq, reason });
      if (seq !== expectedSeq) return { ok: false, events: checked, brokenAtSeq: expectedSeq, reason: 'event missing' };
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
    return { ok: false, events: checked, brokenAtSeq: checked + 1, reason: 'chain head does not match the last event' };
  }
  return { ok: true, events: checked, lastHash: prevHash };
}
