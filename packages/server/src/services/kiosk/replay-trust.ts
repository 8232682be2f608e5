import { checkLoanLimit, defaultLoanPolicy } from '@cubby/core';
import {
  borrowsReplayedUnder,
  findCompartment,
  findPersonForReplay,
  findSentSnapshot,
  insertAlert,
  lockPerson,
  newId,
  type SentSnapshot,
  type Tx,
} from '@cubby/db';
import type { JournalEntry } from '@cubby/protocol';
import { timingSafeEqual } from 'node:crypto';
import type { Services } from '../deps.js';

/*
 * A station's journal is hostile until it matches what the server itself
 * sent that station: a snapshot it recorded for it, a person that snapshot
 * listed (with the hash only that snapshot's salt makes), one of its own
 * doors, a loaner that snapshot offered behind that door, and the limits of
 * that snapshot. Anything else is refused, changes nothing, and raises an
 * alert (docs/security.md, "Station token stolen").
 */

export type Trusted = { snapshot: SentSnapshot; personId: string } | { refused: string };

/**
 * The checks that need no transaction: the snapshot and the credential. The
 * credential is compared with the hash the snapshot listed (kept in its
 * record), so a replay pays no scrypt and a slow replay never holds up the
 * station's next online request.
 */
export async function checkCredential(services: Services, stationId: string, entry: JournalEntry): Promise<Trusted> {
  const db = services.cubby.db;
  const snapshot = entry.snapshotId ? await findSentSnapshot(db, stationId, entry.snapshotId) : undefined;
  if (!snapshot) return { refused: 'the entry names no policy snapshot the server sent this station' };
  const listed = entry.personId ? snapshot.people[entry.personId] : undefined;
  if (!listed) return { refused: 'the person is not one the station’s snapshot listed' };
  const expected = Buffer.from(listed[1]);
  const given = Buffer.from(entry.credentialHash);
  if (expected.length !== given.length || !timingSafeEqual(expected, given))
    return { refused: 'the credential does not match the person the station named' };
  const person = await findPersonForReplay(db, entry.personId!);
  if (!person) return { refused: 'the credential does not match the person the station named' };
  return { snapshot, personId: person.id };
}

/** The checks against the station's own doors and the snapshot's loaners and limits; a note when refused. */
export async function checkAgainstSnapshot(
  tx: Tx,
  stationId: string,
  entry: JournalEntry,
  trusted: { snapshot: SentSnapshot; personId: string },
): Promise<string | null> {
  if (!(await findCompartment(tx.db, stationId, entry.compartment)))
    return `compartment ${entry.compartment} is not part of this station`;
  if (entry.action.kind !== 'borrow' || entry.outcome !== 'completed' || entry.presenceAfter) return null;
  const { snapshot, personId } = trusted;
  if (!snapshot.loaners.some(([door, device]) => door === entry.compartment && device === entry.deviceId))
    return `the snapshot offered no such loaner behind door ${entry.compartment}`;
  await lockPerson(tx.db, tx.dialect, personId);
  const theirs = await borrowsReplayedUnder(tx.db, stationId, snapshot.id, personId);
  // The person's limit at the time: the snapshot's count and policy, plus what this journal already lent them.
  const policy = { ...defaultLoanPolicy, maxActiveLoans: snapshot.maxActiveLoans };
  const overLimit = checkLoanLimit((snapshot.people[personId]?.[0] ?? 0) + theirs, policy);
  if (overLimit) return `over the snapshot’s loan limit (${snapshot.maxActiveLoans}): ${overLimit.message}`;
  if ((await borrowsReplayedUnder(tx.db, stationId, snapshot.id)) >= snapshot.offlineBorrowLimit)
    return `past the snapshot’s offline borrow limit (${snapshot.offlineBorrowLimit})`;
  return null;
}

/** A refused entry: an alert for staff to look at the station (the audit event is the replay's). */
export async function raiseJournalRefusal(tx: Tx, stationId: string, entry: JournalEntry, reason: string): Promise<void> {
  const door = await findCompartment(tx.db, stationId, entry.compartment);
  const alertId = newId();
  await insertAlert(tx.db, {
    id: alertId,
    kind: 'journal_refused',
    station_id: stationId,
    compartment_id: door?.id ?? null,
    detail: { key: entry.key, kind: entry.action.kind, compartment: entry.compartment, reason },
    raised_at: tx.now,
    cleared_at: null,
  });
  tx.emit({ type: 'alert.raised', alertId, kind: 'journal_refused', stationId, compartmentNumber: door?.number ?? null });
}
