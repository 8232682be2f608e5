import { localDate, zonedTime, type LoanReason, type RepairSymptom } from '@cubby/core';
import {
  appendSealedAuditEvents,
  insertKioskTransactions,
  insertLoans,
  insertRepairTickets,
  newId,
  setDeviceLoanCount,
  type AuditBody,
  type CubbyDb,
  type KioskTransactionTable,
  type LoanTable,
  type RepairTicketTable,
} from '@cubby/db';

/**
 * Six weeks of synthetic history for the demo district, so loan and repair
 * lists, the audit log and (later) analytics have something true-to-life to
 * show: a morning peak of borrows (forgotten and flat Chromebooks before first
 * period), returns in the afternoon, a few late ones, and broken devices
 * swapped at the kiosk and repaired over the following days.
 */
export interface HistoryInput {
  sites: { id: string; timeZone: string; endOfDay: string; stations: { id: string; compartmentIds: string[] }[] }[];
  students: { id: string; siteId: string; ownDeviceId: string }[];
  loaners: { id: string; stationId: string }[];
  random: () => number;
  now: number;
  weeks?: number;
}

const reasons: [LoanReason, number][] = [
  ['forgotten', 0.45],
  ['dead_battery', 0.3],
  ['broken', 0.15],
  ['other', 0.1],
];
const symptoms: RepairSymptom[] = ['screen', 'screen', 'keyboard', 'battery', 'charging_port', 'wont_turn_on', 'liquid', 'other'];
const hour = 3_600_000;
const day = 24 * hour;

type Site = HistoryInput['sites'][number];
type Student = HistoryInput['students'][number];
type Loaner = HistoryInput['loaners'][number];
/** One borrow being written: where, when, by whom, and its kiosk transaction and loan ids. */
interface Borrow {
  at: number;
  txnId: string;
  loanId: string;
  student: Student;
  station: Site['stations'][number];
}

export async function writeHistory(cubby: CubbyDb, input: HistoryInput): Promise<{ loans: number; repairs: number }> {
  const history = new History(input.random, input.now);
  for (const site of input.sites) {
    const students = input.students.filter((s) => s.siteId === site.id);
    const siteLoaners = input.loaners.filter((l) => site.stations.some((st) => st.id === l.stationId));
    for (let back = (input.weeks ?? 6) * 7; back >= 1; back--) history.schoolDay(site, back, students, siteLoaners);
  }
  const { transactions, loans, tickets, audits } = history;
  const chunk = async <T>(rows: T[], insert: (part: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += 100) await insert(rows.slice(i, i + 100));
  };
  await chunk(transactions, (part) => insertKioskTransactions(cubby.db, part));
  await chunk(loans, (part) => insertLoans(cubby.db, part));
  await chunk(tickets, (part) => insertRepairTickets(cubby.db, part));
  for (const [deviceId, count] of history.loanCounts) await setDeviceLoanCount(cubby.db, deviceId, count);
  // History enters the audit chain in time order, before anything live.
  audits.sort((a, b) => a.at - b.at);
  await appendSealedAuditEvents(cubby.db, audits);
  return { loans: loans.length, repairs: tickets.length };
}

/** The rows of the history, drawn from one seeded random sequence (so the demo is the same each time). */
class History {
  readonly transactions: KioskTransactionTable[] = [];
  readonly loans: LoanTable[] = [];
  readonly tickets: RepairTicketTable[] = [];
  readonly audits: AuditBody[] = [];
  readonly loanCounts = new Map<string, number>();

  constructor(
    private readonly random: () => number,
    private readonly now: number,
  ) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  weighted<T>(items: [T, number][]): T {
    let r = this.random();
    for (const [item, weight] of items) if ((r -= weight) < 0) return item;
    return items[0]![0];
  }

  audit(at: number, action: string, entity: [string, string], borrow: Borrow, data: Record<string, unknown>) {
    this.audits.push({
      seq: null,
      id: newId(),
      at,
      actor_type: 'person',
      actor_id: borrow.student.id,
      action,
      entity_type: entity[0],
      entity_id: entity[1],
      station_id: borrow.station.id,
      transaction_id: borrow.txnId,
      data,
    });
  }

  /** The borrows of one school day `back` days ago at a campus, their returns, and the repairs of swapped devices. */
  schoolDay(site: Site, back: number, students: Student[], siteLoaners: Loaner[]) {
    const { random, now } = this;
    const date = localDate(now - back * day, site.timeZone);
    if (date.isoWeekday > 5) return;
    const dayStart = zonedTime(date.year, date.month, date.day, 7 * 60 + 30, site.timeZone);
    // Mondays are busiest (chargers left at home over the weekend).
    const borrows = Math.round(students.length * (date.isoWeekday === 1 ? 0.05 : 0.035) * (0.7 + random() * 0.6));
    for (let n = 0; n < borrows; n++) {
      const student = this.pick(students);
      const station = this.pick(site.stations);
      const loaner = this.pick(siteLoaners);
      const reason = this.weighted(reasons);
      // 60 % in the first hour, the rest spread over the day.
      const at = dayStart + (random() < 0.6 ? random() * hour : hour + random() * 6.5 * hour);
      const [endH, endM] = site.endOfDay.split(':').map(Number) as [number, number];
      const due = zonedTime(date.year, date.month, date.day, endH * 60 + endM, site.timeZone);
      const lateness = random();
      const returnedAt =
        lateness < 0.82
          ? due - random() * 2 * hour
          : lateness < 0.96
            ? due + day - random() * 3 * hour
            : due + (2 + random() * 3) * day;
      if (returnedAt >= now) continue; // the present is what the stations hold now
      const borrow: Borrow = { at, txnId: newId(), loanId: newId(), student, station };
      this.loan(borrow, site, loaner, reason, due, returnedAt);
      // The student's own device went in for repair and came back days later.
      if (reason === 'broken') this.repair(borrow);
    }
  }

  loan(borrow: Borrow, site: Site, loaner: Loaner, reason: LoanReason, due: number, returnedAt: number) {
    const { at, txnId, loanId, student, station } = borrow;
    const compartmentId = this.pick(station.compartmentIds);
    this.transactions.push({
      id: txnId,
      station_id: station.id,
      person_id: student.id,
      request_id: `history-${txnId}`,
      kind: reason === 'broken' ? ('swap' as const) : ('borrow' as const),
      status: 'completed' as const,
      error_code: null,
      loan_id: loanId,
      repair_ticket_id: null as string | null,
      charge_session_id: null,
      detail: JSON.stringify({ reason }),
      created_at: Math.round(at),
      completed_at: Math.round(at + 25_000),
    });
    this.loans.push({
      id: loanId,
      device_id: loaner.id,
      person_id: student.id,
      station_id: station.id,
      compartment_id: compartmentId,
      transaction_id: txnId,
      reason,
      status: 'returned' as const,
      created_at: Math.round(at),
      started_at: Math.round(at + 20_000),
      due_at: due,
      ended_at: Math.round(returnedAt),
      return_station_id: this.pick(site.stations).id,
    });
    this.loanCounts.set(loaner.id, (this.loanCounts.get(loaner.id) ?? 0) + 1);
    const started = { deviceId: loaner.id, reason, dueAt: due };
    this.audit(Math.round(at + 20_000), 'loan.started', ['loan', loanId], borrow, started);
    this.audit(Math.round(returnedAt), 'loan.returned', ['loan', loanId], borrow, { deviceId: loaner.id });
  }

  repair(borrow: Borrow) {
    const { random, now } = this;
    const { at, txnId, loanId, student } = borrow;
    const ticketId = newId();
    this.transactions.at(-1)!.repair_ticket_id = ticketId;
    const collected = at + (2 + random() * 20) * hour;
    const inRepair = collected + random() * day;
    const repaired = inRepair + (1 + random() * 6) * day;
    const ready = repaired + random() * 4 * hour;
    const closed = ready + (2 + random() * 30) * hour;
    if (closed >= now) return;
    this.tickets.push({
      id: ticketId,
      device_id: student.ownDeviceId,
      person_id: student.id,
      transaction_id: txnId,
      loan_id: loanId,
      status: 'closed' as const,
      symptom: this.pick(symptoms),
      notes: '',
      cost_cents: random() < 0.5 ? 0 : Math.round(2000 + random() * 9000),
      warranty_claim: (random() < 0.4 ? 1 : 0) as 0 | 1,
      fee_cents: null,
      compartment_id: null,
      reported_at: Math.round(at),
      awaiting_collection_at: Math.round(at),
      collected_at: Math.round(collected),
      in_repair_at: Math.round(inRepair),
      repaired_at: Math.round(repaired),
      ready_for_pickup_at: Math.round(ready),
      closed_at: Math.round(closed),
      retired_at: null,
    });
    const device = { deviceId: student.ownDeviceId };
    this.audit(Math.round(at), 'repair.created', ['repair_ticket', ticketId], borrow, device);
    this.audit(Math.round(closed), 'repair.picked_up', ['repair_ticket', ticketId], borrow, device);
  }
}
