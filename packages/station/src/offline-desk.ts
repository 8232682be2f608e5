import { domainErrorCodes } from '@cubby/core';
import { policySnapshotSigningInput, type CompartmentReading, type PolicySnapshotMessage } from '@cubby/protocol';
import { offlineBadgeHash, signWithStationKey, stationCredentialHash } from '@cubby/protocol/offline-keys';
import { timingSafeEqual } from 'node:crypto';
import type { JournalRecord, OfflineKeys } from './journal.js';
import { StationRequestError, stationErrorCodes, type StationErrorCode } from './request-error.js';

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

/** Finds the badge in the snapshot. PINs cannot be checked offline: their hashes never leave the server. */
export function recogniseOffline(
  credential: { badge: string } | { studentNumber: string; pin: string },
  snapshot: PolicySnapshotMessage,
  keys: OfflineKeys,
): OfflineSession {
  if (!('badge' in credential)) throw refusal('offline_pin_unavailable');
  const hash = stationCredentialHash(keys.snapshotKey, offlineBadgeHash(keys.badgeKey, credential.badge));
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
 * the station's own offline limit for this outage.
 */
export function chooseOfflineLoaner(
  session: OfflineSession,
  snapshot: PolicySnapshotMessage,
  journal: readonly JournalRecord[],
  readings: readonly CompartmentReading[],
  /** Doors opened since the snapshot arrived: what is behind them may no longer be what it lists. */
  touchedSinceSnapshot: ReadonlySet<number> = new Set(),
): { compartment: number; deviceId: string } {
  const taken = journal.filter(tookLoaner);
  const mine = taken.filter((e) => e.personId === session.personId).length;
  if (session.openLoans + mine >= snapshot.maxActiveLoans) throw refusal('loan_limit_reached');
  if (taken.length >= snapshot.offlineBorrowLimit) throw refusal('offline_limit_reached');
  const gone = new Set(taken.map((e) => e.compartment));
  const present = new Map(readings.map((r) => [r.number, r]));
  // The snapshot lists loaners by charge order of the server's choosing; the sensor must still see one.
  const loaner = [...snapshot.loaners]
    .sort((a, b) => b.battery - a.battery)
    .find(
      (l) =>
        !gone.has(l.compartment) &&
        !touchedSinceSnapshot.has(l.compartment) &&
        present.get(l.compartment)?.presence === true &&
        present.get(l.compartment)?.door === 'closed',
    );
  if (!loaner) throw refusal('no_loaner_available');
  return { compartment: loaner.compartment, deviceId: loaner.deviceId };
}

/** Any closed door with nothing inside takes a return; doors in use by this outage's journal are left alone. */
export function chooseReturnDoor(journal: readonly JournalRecord[], readings: readonly CompartmentReading[]): number {
  const busy = new Set(journal.filter((e) => e.closedAt === null).map((e) => e.compartment));
  const door = readings.find((r) => r.door === 'closed' && !r.presence && !busy.has(r.number));
  if (!door) throw refusal('no_compartment_available');
  return door.number;
}

type RefusalCode = StationErrorCode | 'loan_limit_reached' | 'no_loaner_available' | 'no_compartment_available';

export function refusal(code: RefusalCode, detail?: string): StationRequestError {
  const title =
    code in stationErrorCodes
      ? stationErrorCodes[code as StationErrorCode].title
      : domainErrorCodes[code as keyof typeof domainErrorCodes].title;
  return new StationRequestError({ code, title, ...(detail ? { detail } : {}) });
}
