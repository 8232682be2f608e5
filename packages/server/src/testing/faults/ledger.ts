import type { CubbyDb } from '@cubby/db';
import type { CompartmentReading } from '@cubby/protocol';

/** A transaction the kiosk was told had completed: online, by the server's push; offline, by the station's journal. */
export interface Acknowledgement {
  id: string;
  kind: 'borrow' | 'return';
  offline: boolean;
}

/**
 * What the kiosks were told, kept by the scenario that plays the students.
 * Only `completed` counts: a refusal or a failed step promised nothing.
 */
export class AcknowledgementLedger {
  readonly entries: Acknowledgement[] = [];

  add(ack: Acknowledgement): void {
    this.entries.push(ack);
  }

  get size(): number {
    return this.entries.length;
  }
}

export interface Reconciliation {
  /** Acknowledged transactions checked. */
  transactions: number;
  /** Acknowledged but not in the database as one completed transaction (with its loan change). */
  lost: string[];
  /** Acknowledged once but recorded more than once (or told twice). */
  duplicated: string[];
}

/**
 * Compares the acknowledgements with the database: each must be exactly one
 * completed kiosk transaction, under its own id (online) or as the replay of
 * its journal entry (`request_id = journal:<key>`, offline), and a borrow
 * exactly one loan, a return a returned loan.
 */
export async function reconcile(cubby: CubbyDb, acknowledged: readonly Acknowledgement[]): Promise<Reconciliation> {
  const rows = await cubby.db
    .selectFrom('kiosk_transactions')
    .select(['id', 'request_id', 'kind', 'status', 'loan_id'])
    .execute();
  const loans = await cubby.db.selectFrom('loans').select(['id', 'transaction_id', 'status']).execute();
  const byKey = new Map<string, typeof rows>();
  const file = (key: string, row: (typeof rows)[number]) => byKey.set(key, [...(byKey.get(key) ?? []), row]);
  for (const r of rows) {
    file(r.id, r);
    if (r.request_id.startsWith('journal:')) file(r.request_id.slice('journal:'.length), r);
  }
  const loansOf = new Map<string, number>();
  for (const l of loans) if (l.transaction_id) loansOf.set(l.transaction_id, (loansOf.get(l.transaction_id) ?? 0) + 1);
  const loanStatus = new Map(loans.map((l) => [l.id, l.status]));

  const lost: string[] = [];
  const duplicated: string[] = [];
  const told = new Map<string, number>();
  for (const ack of acknowledged) told.set(ack.id, (told.get(ack.id) ?? 0) + 1);
  for (const ack of acknowledged) {
    const completed = (byKey.get(ack.id) ?? []).filter((r) => r.status === 'completed' && r.kind === ack.kind);
    if (completed.length === 0) {
      lost.push(ack.id);
      continue;
    }
    if (completed.length > 1 || told.get(ack.id)! > 1) {
      duplicated.push(ack.id);
      continue;
    }
    const row = completed[0]!;
    if (ack.kind === 'borrow') {
      // A borrow that completed made one loan, started (it may be returned since).
      const made = loansOf.get(row.id) ?? 0;
      if (made === 0) lost.push(ack.id);
      else if (made > 1) duplicated.push(ack.id);
    } else if (!row.loan_id || loanStatus.get(row.loan_id) !== 'returned') {
      lost.push(ack.id);
    }
  }
  return { transactions: acknowledged.length, lost: [...new Set(lost)], duplicated: [...new Set(duplicated)] };
}

/**
 * Doors where the server's belief differs from the bank's sensors: a door it
 * thinks closed (locked) that is open, or the other way round, and a door it
 * thinks loaded that is empty, or empty that is loaded. A door out of service
 * was flagged for a technician and is reported apart.
 */
export async function doorMismatches(
  cubby: CubbyDb,
  stationId: string,
  readings: readonly CompartmentReading[],
): Promise<{ mismatches: string[]; outOfService: number[] }> {
  const rows = await cubby.db
    .selectFrom('compartments')
    .select(['number', 'status', 'door'])
    .where('station_id', '=', stationId)
    .orderBy('number')
    .execute();
  const real = new Map(readings.map((r) => [r.number, r]));
  const mismatches: string[] = [];
  const outOfService: number[] = [];
  for (const c of rows) {
    const r = real.get(c.number);
    if (!r) continue;
    if (c.door !== r.door) mismatches.push(`door ${c.number}: the server has it ${c.door}, it is ${r.door}`);
    if (c.status === 'out_of_service') {
      outOfService.push(c.number);
      continue;
    }
    if ((c.status === 'loaded') !== r.presence)
      mismatches.push(`door ${c.number}: the server has it ${c.status}, the sensor reads ${r.presence ? 'full' : 'empty'}`);
  }
  return { mismatches, outOfService };
}
