import { loanDueAt, type TransactionKind } from '@cubby/core';
import {
  countOpenLoans,
  findAppliedJournalEntry,
  findCompartment,
  findDevice,
  findPersonForReplay,
  insertKioskTransaction,
  insertLoan,
  lockPerson,
  moveDevice,
  moveLoan,
  newId,
  openLoanOfDevice,
  recordJournalEntryApplied,
  recordLoanerTaken,
  returnableLoans,
  updateCompartment,
  type Tx,
} from '@cubby/db';
import type { JournalEntry } from '@cubby/protocol';
import { stationCredentialHash } from '@cubby/protocol/offline-keys';
import { announceCompartment, stationContext, transact, type Services } from './deps.js';
import { abandonStep, flagUnsettledStep } from './steps.js';

export interface JournalAnswer {
  applied: string[];
  rejected: { key: string; reason: string }[];
}

type Decision = { decision: 'applied' | 'flagged'; note: string | null } | { decision: 'rejected'; note: string };

/**
 * A station replays what it did while its link was down. Each entry is
 * applied in its own transaction together with the record that it was, so a
 * replay (a lost answer, a restart) changes nothing the second time. The
 * doors already opened and the devices already moved: policy conflicts do not
 * undo that, they are recorded with a note for staff (decision `flagged`).
 * Only an entry the server cannot attribute at all is rejected.
 */
export async function replayJournal(services: Services, stationId: string, entries: JournalEntry[]): Promise<JournalAnswer> {
  const answer: JournalAnswer = { applied: [], rejected: [] };
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const decided = await transact(services, async (tx) => {
      const seen = await findAppliedJournalEntry(tx.db, stationId, entry.key);
      if (seen)
        return seen.decision === 'rejected'
          ? { decision: 'rejected' as const, note: seen.note ?? 'rejected' }
          : { decision: 'applied' as const, note: null };
      await releaseOnlineStep(tx, stationId, entry);
      const decision = await decide(services, tx, stationId, entry);
      await recordJournalEntryApplied(tx.db, {
        station_id: stationId,
        key: entry.key,
        seq: entry.seq,
        kind: entry.action.kind,
        decision: decision.decision,
        note: decision.note,
        happened_at: entry.at,
        applied_at: tx.now,
      });
      tx.audit({
        actorType: 'station',
        actorId: stationId,
        action: `journal.entry_${decision.decision}`,
        entityType: 'station',
        entityId: stationId,
        stationId,
        data: {
          key: entry.key,
          seq: entry.seq,
          kind: entry.action.kind,
          compartment: entry.compartment,
          at: entry.at,
          outcome: entry.outcome,
          note: decision.note,
        },
      });
      return decision;
    });
    if (decided.decision === 'rejected') answer.rejected.push({ key: entry.key, reason: decided.note });
    else answer.applied.push(entry.key);
  }
  return answer;
}

/**
 * The station opened this door on its own while the server still held it for
 * an online step whose unlock never reached the station (the link dropped
 * first): that step never happened, so it is given up before the entry is
 * applied. Had the door opened for the step (door_opened heard), its closing
 * is lost in the outage and nobody knows what it did: the door goes out of
 * service for a technician. The station leaves such doors out of its hello
 * (StationLink.withholdFromHello), so the hello cannot settle the step from
 * a reading that is really this entry's.
 */
async function releaseOnlineStep(tx: Tx, stationId: string, entry: JournalEntry): Promise<void> {
  if (entry.outcome !== 'completed') return; // the offline unlock failed: the door never moved
  const door = await findCompartment(tx.db, stationId, entry.compartment);
  if (!door?.transaction_id) return;
  const opened = door.status === 'open';
  const detail = opened
    ? `door ${door.number} opened for this transaction and then for an offline one (journal ${entry.key}) before the server heard it close`
    : `door ${door.number} was used offline (journal ${entry.key}) before this transaction's unlock reached the station`;
  if (opened) await flagUnsettledStep(tx, stationId, door, { reason: detail, journalKey: entry.key });
  else {
    tx.audit({
      actorType: 'station',
      actorId: stationId,
      action: 'compartment.step_voided',
      entityType: 'compartment',
      entityId: door.id,
      stationId,
      transactionId: door.transaction_id,
      data: { number: door.number, purpose: door.purpose, journalKey: entry.key, reason: detail },
    });
  }
  await abandonStep(
    tx,
    stationId,
    door,
    opened ? { outOfService: true, presence: door.presence === 1 } : { outOfService: false },
    detail,
  );
}

async function decide(services: Services, tx: Tx, stationId: string, entry: JournalEntry): Promise<Decision> {
  if (entry.action.kind !== 'borrow' && entry.action.kind !== 'return')
    return { decision: 'rejected', note: `${entry.action.kind} is not possible offline` };
  const person = entry.personId ? await findPersonForReplay(tx.db, entry.personId) : undefined;
  const expected = person?.offline_badge_hash
    ? stationCredentialHash(services.keys.stationOfflineKey(stationId), person.offline_badge_hash)
    : undefined;
  if (!person || expected !== entry.credentialHash)
    return { decision: 'rejected', note: 'the credential does not match the person the station named' };
  // The door did its job but nothing changed hands: only the record remains.
  const changedHands =
    entry.outcome === 'completed' && (entry.action.kind === 'borrow' ? !entry.presenceAfter : entry.presenceAfter);
  if (!changedHands)
    return { decision: 'applied', note: entry.action.kind === 'borrow' ? 'the loaner was not taken' : 'nothing was returned' };
  return entry.action.kind === 'borrow'
    ? borrowedOffline(tx, stationId, person.id, entry)
    : returnedOffline(tx, stationId, person.id, entry);
}

async function openRecord(
  tx: Tx,
  stationId: string,
  personId: string,
  entry: JournalEntry,
  kind: TransactionKind,
  loanId: string | null,
  detail: Record<string, unknown>,
) {
  const id = newId();
  await insertKioskTransaction(tx.db, {
    id,
    station_id: stationId,
    person_id: personId,
    request_id: `journal:${entry.key}`,
    kind,
    status: 'completed',
    error_code: null,
    loan_id: loanId,
    repair_ticket_id: null,
    charge_session_id: null,
    detail: JSON.stringify({ ...detail, offline: true }),
    created_at: entry.at,
    completed_at: entry.at,
  });
  return id;
}

/**
 * A loaner left through a door while offline: the loan is real whatever the
 * server thought. Entries arrive in order and only this station opens its
 * doors, so the device the server has behind that door now is the one that
 * left; the snapshot's device id is the station's (possibly stale) guess.
 */
async function borrowedOffline(tx: Tx, stationId: string, personId: string, entry: JournalEntry): Promise<Decision> {
  const door = await findCompartment(tx.db, stationId, entry.compartment);
  const deviceId = door?.device_id ?? entry.deviceId;
  const device = deviceId ? await findDevice(tx.db, deviceId) : undefined;
  if (!device) return { decision: 'rejected', note: 'nobody knows which loaner left' };
  const notes: string[] = [];
  if (entry.deviceId && entry.deviceId !== device.id)
    notes.push(
      `the station's snapshot named another loaner; recorded ${device.asset_tag}, which the server had behind door ${entry.compartment}`,
    );
  if (device.pool !== 'loaner') notes.push(`device ${device.asset_tag} behind door ${entry.compartment} is not a loaner`);
  const held = await openLoanOfDevice(tx.db, device.id);
  if (held)
    return {
      decision: 'rejected',
      note: `loaner ${device.asset_tag} already has an open loan; a technician must check compartment ${entry.compartment}`,
    };
  const ctx = await stationContext(tx, stationId);
  await lockPerson(tx.db, tx.dialect, personId);
  const open = await countOpenLoans(tx.db, personId);
  if (open >= ctx.policy.maxActiveLoans)
    notes.push(`over the loan limit: ${open} open loans elsewhere when this one was replayed`);
  if (device.status !== 'available') notes.push(`the server had loaner ${device.asset_tag} as ${device.status}`);
  const compartment = await findCompartment(tx.db, stationId, entry.compartment);
  if (!compartment) return { decision: 'rejected', note: `compartment ${entry.compartment} is not part of this station` };
  const loanId = newId();
  const transactionId = await openRecord(tx, stationId, personId, entry, 'borrow', loanId, {
    reason: reasonOf(entry),
    deviceId: device.id,
  });
  const dueAt = loanDueAt(entry.at, { timeZone: ctx.timeZone, endOfDay: ctx.schoolDayEnd });
  await insertLoan(tx.db, {
    id: loanId,
    device_id: device.id,
    person_id: personId,
    station_id: stationId,
    compartment_id: compartment.id,
    transaction_id: transactionId,
    reason: reasonOf(entry),
    status: 'active',
    created_at: entry.at,
    started_at: entry.at,
    due_at: dueAt,
    ended_at: null,
    return_station_id: null,
  });
  await tx.db.updateTable('devices').set({ status: 'on_loan', updated_at: tx.now }).where('id', '=', device.id).execute();
  await recordLoanerTaken(tx.db, device.id, entry.at);
  // Wherever the server thought the loaner was, it is in no compartment now.
  const holders = await tx.db
    .selectFrom('compartments')
    .select(['id', 'number', 'station_id'])
    .where('device_id', '=', device.id)
    .execute();
  for (const c of holders) {
    if (c.id !== compartment.id) notes.push(`the server had the loaner in compartment ${c.number} of station ${c.station_id}`);
    await updateCompartment(tx.db, c.id, { device_id: null, status: 'empty', presence: c.id === compartment.id ? 0 : 1 }, tx.now);
    announceCompartment(tx, c.station_id, c, 'empty');
  }
  const note = notes.length ? notes.join('; ') : null;
  tx.audit({
    actorType: 'person',
    actorId: personId,
    action: 'loan.started',
    entityType: 'loan',
    entityId: loanId,
    stationId,
    transactionId,
    data: {
      deviceId: device.id,
      dueAt,
      offline: true,
      journalKey: entry.key,
      compartment: entry.compartment,
      ...(note ? { note } : {}),
    },
  });
  tx.emit({ type: 'loan.started', loanId, stationId, personId, deviceId: device.id });
  return { decision: note ? 'flagged' : 'applied', note };
}

/** A device went into an empty door while offline: it ends the person's loan it belongs to. */
async function returnedOffline(tx: Tx, stationId: string, personId: string, entry: JournalEntry): Promise<Decision> {
  const compartment = await findCompartment(tx.db, stationId, entry.compartment);
  if (!compartment) return { decision: 'rejected', note: `compartment ${entry.compartment} is not part of this station` };
  const loans = await returnableLoans(tx.db, personId);
  const assetTag = entry.action.kind === 'return' ? entry.action.assetTag?.trim() : undefined;
  const loan = assetTag ? loans.find((l) => l.asset_tag === assetTag) : loans[0];
  if (!loan) {
    const note = `no open loan of this person matches; an unidentified device is in compartment ${entry.compartment} for a technician`;
    tx.audit({
      actorType: 'person',
      actorId: personId,
      action: 'compartment.unidentified_device_left',
      entityType: 'compartment',
      entityId: compartment.id,
      stationId,
      data: { number: compartment.number, journalKey: entry.key },
    });
    return { decision: 'flagged', note };
  }
  const notes: string[] = [];
  const transactionId = await openRecord(tx, stationId, personId, entry, 'return', loan.id, { deviceId: loan.device_id });
  await moveLoan(tx.db, loan.id, ['active', 'overdue', 'lost'], 'returned', { ended_at: entry.at, return_station_id: stationId });
  if (!(await moveDevice(tx.db, loan.device_id, 'on_loan', 'available', tx.now)))
    notes.push('the server did not have the loaner on loan');
  const elsewhere = await tx.db
    .selectFrom('compartments')
    .select(['id', 'number', 'station_id'])
    .where('device_id', '=', loan.device_id)
    .execute();
  for (const c of elsewhere) {
    notes.push(`the server had the loaner in compartment ${c.number} of station ${c.station_id}`);
    await updateCompartment(tx.db, c.id, { device_id: null, status: 'empty' }, tx.now);
  }
  if (compartment.status === 'empty') {
    await updateCompartment(tx.db, compartment.id, { status: 'loaded', device_id: loan.device_id, presence: 1 }, tx.now);
    announceCompartment(tx, stationId, compartment, 'loaded');
  } else {
    notes.push(`compartment ${entry.compartment} was ${compartment.status} on the server; a technician should check it`);
  }
  const note = notes.length ? notes.join('; ') : null;
  tx.audit({
    actorType: 'person',
    actorId: personId,
    action: 'loan.returned',
    entityType: 'loan',
    entityId: loan.id,
    stationId,
    transactionId,
    data: {
      deviceId: loan.device_id,
      compartment: entry.compartment,
      offline: true,
      journalKey: entry.key,
      ...(note ? { note } : {}),
    },
  });
  tx.emit({ type: 'loan.returned', loanId: loan.id, stationId, personId, deviceId: loan.device_id });
  return { decision: note ? 'flagged' : 'applied', note };
}

function reasonOf(entry: JournalEntry) {
  return entry.action.kind === 'borrow' ? entry.action.reason : 'other';
}
