import type { TransactionKind } from '@cubby/core';
import { insertKioskTransaction, newId, type Tx } from '@cubby/db';
import type { JournalEntry } from '@cubby/protocol';

/** The kiosk transaction an offline journal entry stands for, completed when it happened. */
export async function openReplayRecord(
  tx: Tx,
  r: { stationId: string; personId: string; entry: JournalEntry; kind: TransactionKind; loanId: string | null },
  detail: Record<string, unknown>,
): Promise<string> {
  const id = newId();
  await insertKioskTransaction(tx.db, {
    id,
    station_id: r.stationId,
    person_id: r.personId,
    request_id: `journal:${r.entry.key}`,
    kind: r.kind,
    status: 'completed',
    error_code: null,
    loan_id: r.loanId,
    repair_ticket_id: null,
    charge_session_id: null,
    detail: JSON.stringify({ ...detail, offline: true }),
    created_at: r.entry.at,
    completed_at: r.entry.at,
  });
  return id;
}
