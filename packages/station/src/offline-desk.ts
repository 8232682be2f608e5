import {
  checkLoanLimit,
  defaultChargeSettings,
  defaultLoanPolicy,
  estimateCharge,
  type ChargeSettings,
  domainErrorCodes,
  rankLoaners,
  type DomainError,
  type LoanerCandidate,
  type LoanPolicy,
} from '@cubby/core';
import {
  policySnapshotSigningInput,
  type CompartmentReading,
  type KioskChoice,
  type KioskChoices,
  type PolicySnapshotMessage,
  type SnapshotLoaner,
} from '@cubby/protocol';
import { offlineBadgeHash, signWithStationKey, snapshotCredentialHash } from '@cubby/protocol/offline-keys';
import { timingSafeEqual } from 'node:crypto';
import type { JournalRecord, OfflineKeys } from './journal.js';
import { isStationRequestError, StationRequestError, stationErrorCodes, type StationErrorCode } from './request-error.js';

/** Someone signed in while the link was down, recognised by the signed snapshot. */
export interface OfflineSession {
  personId: string;
  credentialHash: string;
  openLoans: number;
}

/** True when the snapshot was signed with this station's key and names this station. */
export function isSnapshotGenuine(snapshot: PolicySnapshotMessage, keys: OfflineKeys): boolean {
  const expected = Buffer.from(signWithStationKey(keys.snapshotKey, policySnapshotSigningInput(keys.stationId, snapshot)));
  const given = Buffer.from(snapshot.signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * Finds the badge in the snapshot: one slow hash (scrypt with the snapshot's
 * salt) per scan. PINs cannot be checked offline: their hashes never leave
 * the server.
 */
export async function recogniseOffline(
  credential: { badge: string } | { studentNumber: string; pin: string },
  snapshot: PolicySnapshotMessage,
  keys: OfflineKeys,
): Promise<OfflineSession> {
  if (!('badge' in credential)) throw refusal('offline_pin_unavailable');
  const hash = await snapshotCredentialHash(offlineBadgeHash(keys.badgeKey, credential.badge), snapshot.hashing);
  const known = snapshot.credentials.find((c) => c.hash === hash);
  if (!known) throw refusal('offline_unknown_credential');
  return { personId: known.personId, credentialHash: hash, openLoans: known.openLoans };
}

/** An entry whose device changed hands (or whose door is still open, so it may yet). */
const tookLoaner = (e: JournalRecord) =>
  e.action.kind === 'borrow' && (e.closedAt === null || (e.outcome === 'completed' && !e.presenceAfter));

/**
 * Picks the door for an offline borrow, or says why not. Limits are counted
 * against the journal as well as the snapshot, since the server has not yet
 * heard of what this station did since: the district's per-person limit, and
 * the station's own offline limit for this outage. The loaner is the one
 * core's `rankLoaners` would pick online, among those the sensors still see.
 */
export function chooseOfflineLoaner(
  session: OfflineSession,
  snapshot: PolicySnapshotMessage,
  journal: readonly JournalRecord[],
  readings: readonly CompartmentReading[],
  /** Doors opened since the snapshot arrived: what is behind them may no longer be what it lists. */
  touchedSinceSnapshot: ReadonlySet<number> = new Set(),
  /** Loaners lent under this snapshot whose entries the server already applied (they left the journal). */
  replayed: { total: number; byPerson: Record<string, number> } = { total: 0, byPerson: {} },
  /** The station's clock: offline, it estimates each loaner's charge itself, with core's function. */
  now: number = Date.now(),
): { compartment: number; deviceId: string } {
  const taken = journal.filter(tookLoaner);
  const mine = taken.filter((e) => e.personId === session.personId).length + (replayed.byPerson[session.personId] ?? 0);
  const overLimit = checkLoanLimit(session.openLoans + mine, snapshotPolicy(snapshot));
  if (overLimit) throw refusalOf(overLimit);
  if (taken.length + replayed.total >= snapshot.offlineBorrowLimit) throw refusal('offline_limit_reached');
  const gone = new Set(taken.map((e) => e.compartment));
  const present = new Map(readings.map((r) => [r.number, r]));
  const stillThere = (compartment: number) =>
    !gone.has(compartment) &&
    !touchedSinceSnapshot.has(compartment) &&
    present.get(compartment)?.presence === true &&
    present.get(compartment)?.door === 'closed';
  const settings = snapshot.chargeEstimate ?? defaultChargeSettings;
  const candidates = snapshot.loaners.filter((l) => stillThere(l.compartment)).map((l) => loanerCandidate(l, now, settings));
  const [best] = rankLoaners(candidates, snapshot.minChargePercent);
  if (!best) throw refusal('no_loaner_available');
  return { compartment: best.compartmentNumber, deviceId: best.deviceId };
}

/**
 * The offline menu: a borrow is offered when chooseOfflineLoaner (core's loan
 * limit and charge floor, with this outage's journal) would pick a door now,
 * and refused with its reason otherwise. Swaps and drop-offs are never done
 * offline: a repair ticket needs the server, so they are refused plainly.
 */
export function offlineChoices(chooseLoaner: () => unknown): KioskChoices {
  let borrow: KioskChoice = { allowed: true };
  try {
    chooseLoaner();
  } catch (error) {
    if (!isStationRequestError(error)) throw error;
    borrow = { allowed: false, refusedFor: error.code };
  }
  const needsNetwork: KioskChoice = { allowed: false, refusedFor: 'offline_not_possible' };
  return { borrow, swap: needsNetwork, dropOff: needsNetwork };
}

/**
 * A snapshot's loaner as core ranks it; a left-out wear field means "never lent".
 * Its charge is core's estimate now from the snapshot's facts (a snapshot without
 * them: the reading it was made with).
 */
export function loanerCandidate(
  l: SnapshotLoaner,
  now: number,
  settings: ChargeSettings = defaultChargeSettings,
): LoanerCandidate {
  return {
    deviceId: l.deviceId,
    compartmentNumber: l.compartment,
    batteryPercent: l.charge ? estimateCharge(l.charge, now, settings).percent : l.battery,
    loanCount: l.loanCount ?? 0,
    lastLoanedAt: l.lastLoanedAt ?? null,
  };
}

/** The district's policy as far as the snapshot carries it; the rest is never decided offline. */
function snapshotPolicy(snapshot: PolicySnapshotMessage): LoanPolicy {
  return { ...defaultLoanPolicy, maxActiveLoans: snapshot.maxActiveLoans, minChargePercent: snapshot.minChargePercent };
}

/** Any closed door with nothing inside takes a return; doors in use by this outage's journal are left alone. */
export function chooseReturnDoor(journal: readonly JournalRecord[], readings: readonly CompartmentReading[]): number {
  const busy = new Set(journal.filter((e) => e.closedAt === null).map((e) => e.compartment));
  const door = readings.find((r) => r.door === 'closed' && !r.presence && !busy.has(r.number));
  if (!door) throw refusal('no_compartment_available');
  return door.number;
}

/** Core's refusal, worded and shaped as the server would send it to the kiosk. */
function refusalOf(error: DomainError): StationRequestError {
  return new StationRequestError({
    code: error.code,
    title: error.message,
    ...(Object.keys(error.details).length ? { data: { ...error.details } } : {}),
  });
}

type RefusalCode = StationErrorCode | 'no_loaner_available' | 'no_compartment_available';

export function refusal(code: RefusalCode, detail?: string): StationRequestError {
  const title =
    code in stationErrorCodes
      ? stationErrorCodes[code as StationErrorCode].title
      : domainErrorCodes[code as keyof typeof domainErrorCodes].title;
  return new StationRequestError({ code, title, ...(detail ? { detail } : {}) });
}
