import {
  defaultChargeSettings,
  DomainError,
  estimateCharge,
  isLendable,
  loanDueAt,
  rankLoaners,
  withEstimatedCharge,
  type ChargeSettings,
  type LoanReason,
} from '@cubby/core';
import {
  insertLoan,
  loanerCandidates,
  loanersAtOtherStations,
  moveDevice,
  moveLoan,
  reserveCompartment,
  type Executor,
  type KioskStep,
  type LoanerCandidateFacts,
  type Tx,
} from '@cubby/db';
import type { NearbyStation } from '@cubby/protocol';
import { announceCompartment, type StationPolicyContext } from '../deps.js';
import type { Start } from './act.js';

/** Another kiosk claimed it first: the one conflict a claim expects, and moves past. */
function isLostRace(error: unknown): boolean {
  return error instanceof DomainError && error.code === 'conflict';
}

/**
 * The station's loaners the kiosk would lend now, best first: each at its best
 * charge reading (measured, sensed or core's estimate) at or above the floor.
 * The one question "is there a lendable loaner here?" for every caller (the
 * claim, and the menu at sign-in, which read the candidates with the person).
 */
export function rankLendable(
  candidates: LoanerCandidateFacts[],
  now: number,
  minChargePercent: number,
  charge: ChargeSettings = defaultChargeSettings,
) {
  return rankLoaners(withEstimatedCharge(candidates, now, charge), minChargePercent);
}

/** rankLendable over the station's candidates as they stand now. */
export async function lendableLoaners(
  tx: Pick<Tx, 'db' | 'now'>,
  stationId: string,
  minChargePercent: number,
  charge: ChargeSettings = defaultChargeSettings,
) {
  return rankLendable(await loanerCandidates(tx.db, stationId), tx.now, minChargePercent, charge);
}

/**
 * Claims the best loaner at a station for a transaction: the device moves
 * available → on_loan and its compartment loaded → reserved, each by a
 * conditional update, so a loaner another kiosk claimed first is skipped.
 */
export async function claimLoaner(
  tx: Tx,
  stationId: string,
  minChargePercent: number,
  transactionId: string,
  commandId: string | null,
  charge: ChargeSettings = defaultChargeSettings,
) {
  const ranked = await lendableLoaners(tx, stationId, minChargePercent, charge);
  for (const candidate of ranked) {
    const { compartmentId, deviceId } = candidate;
    try {
      await moveDevice(tx.db, { id: deviceId, from: 'available', event: { type: 'lend' }, now: tx.now });
    } catch (error) {
      if (isLostRace(error)) continue;
      throw error;
    }
    try {
      await reserveCompartment(tx.db, compartmentId, 'loaded', { transactionId, purpose: 'take_loaner', commandId, now: tx.now });
    } catch (error) {
      if (!isLostRace(error)) throw error;
      await moveDevice(tx.db, { id: deviceId, from: 'on_loan', event: { type: 'lend_cancelled' }, now: tx.now });
      continue;
    }
    announceCompartment(tx, stationId, { id: compartmentId, number: candidate.compartmentNumber }, 'reserved');
    return { deviceId, compartmentId, compartmentNumber: candidate.compartmentNumber };
  }
  return undefined;
}

/** No loaner here: say where the district's other stations have loaners above the charge floor. */
export async function noLoanerError(s: Start): Promise<DomainError> {
  return new DomainError('no_loaner_available', undefined, { nearby: await nearbyLoaners(s.tx.db, s.ctx, s.tx.now) });
}

type Here = Pick<StationPolicyContext, 'districtId' | 'siteId' | 'stationId' | 'policy' | 'charge'>;

/**
 * Up to three other stations with lendable loaners: those at this campus
 * first (a walk down the hall), then the district's other campuses; within
 * each, the one with the most loaners first.
 */
export async function nearbyLoaners(db: Executor, here: Here, now: number): Promise<NearbyStation[]> {
  const loaners = await loanersAtOtherStations(db, here.districtId, here.stationId);
  const byStation = new Map<string, NearbyStation & { sameCampus: boolean }>();
  for (const l of loaners) {
    if (!isLendable(estimateCharge(l.charge, now, here.charge).percent, here.policy.minChargePercent)) continue;
    const sameCampus = l.siteId === here.siteId;
    const at = byStation.get(l.stationId) ?? {
      stationId: l.stationId,
      stationName: l.stationName,
      available: 0,
      sameCampus,
      ...(sameCampus ? {} : { campusName: l.siteName }),
    };
    at.available += 1;
    byStation.set(l.stationId, at);
  }
  return [...byStation.values()]
    .sort((a, b) => Number(b.sameCampus) - Number(a.sameCampus) || b.available - a.available)
    .slice(0, 3)
    .map(({ sameCampus: _sameCampus, ...station }) => station);
}

/** Claims a loaner and records its loan as pending until the door closes with it gone. */
export async function claimPendingLoan(
  s: Start,
  loan: { id: string; transactionId: string; reason: LoanReason; commandId: string | null; swapFor?: string },
) {
  const claimed = await claimLoaner(
    s.tx,
    s.ctx.stationId,
    s.ctx.policy.minChargePercent,
    loan.transactionId,
    loan.commandId,
    s.ctx.charge,
  );
  if (!claimed) throw await noLoanerError(s);
  const dueAt = loanDueAt(s.tx.now, { timeZone: s.ctx.timeZone, endOfDay: s.ctx.schoolDayEnd });
  await insertLoan(s.tx.db, {
    id: loan.id,
    device_id: claimed.deviceId,
    person_id: s.personId,
    station_id: s.ctx.stationId,
    compartment_id: claimed.compartmentId,
    transaction_id: loan.transactionId,
    reason: loan.reason,
    status: 'pending',
    created_at: s.tx.now,
    started_at: null,
    due_at: dueAt,
    ended_at: null,
    return_station_id: null,
  });
  s.tx.audit({
    actorType: 'person',
    actorId: s.personId,
    action: 'loan.claimed',
    entityType: 'loan',
    entityId: loan.id,
    stationId: s.ctx.stationId,
    transactionId: loan.transactionId,
    data: { deviceId: claimed.deviceId, reason: loan.reason, dueAt, ...(loan.swapFor ? { swapFor: loan.swapFor } : {}) },
  });
  return { ...claimed, dueAt };
}

/** A pending loan that will not start: cancelled, its loaner back in the pool. Returns whether there was one. */
export async function cancelPendingLoan(tx: Tx, txn: KioskStep): Promise<boolean> {
  const loan = txn.loan;
  if (loan?.status !== 'pending') return false;
  await moveLoan(tx.db, { id: loan.id, from: 'pending', event: { type: 'not_taken' }, set: { ended_at: tx.now } });
  await moveDevice(tx.db, { id: loan.deviceId, from: loan.deviceStatus, event: { type: 'lend_cancelled' }, now: tx.now });
  return true;
}
