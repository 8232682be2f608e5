import { findAppliedJournalEntry, findCompartment, recordJournalEntryApplied, type Tx } from '@cubby/db';
import type { JournalEntry } from '@cubby/protocol';
import { transact, type Services } from '../deps.js';
import type { Decision } from './act.js';
import { actFor } from './acts.js';
import { abandonStep, flagUnsettledStep } from './door-events.js';
import { checkAgainstSnapshot, checkCredential, raiseJournalRefusal, type Trusted } from './replay-trust.js';

export interface JournalAnswer {
  applied: string[];
  rejected: { key: string; reason: string }[];
}

/**
 * A station replays what it did while its link was down. Each entry is
 * applied in its own transaction together with the record that it was, so a
 * replay (a lost answer, a restart) changes nothing the second time. The
 * doors already opened and the devices already moved: policy conflicts do not
 * undo that, they are recorded with a note for staff (decision `flagged`).
 * An entry that does not match what the server sent the station (replay-trust.ts)
 * is rejected before anything changes, with an alert; so is one the server
 * cannot attribute at all. Either way the station is answered, so it sets the
 * entry aside instead of resending it.
 */
export async function replayJournal(services: Services, stationId: string, entries: JournalEntry[]): Promise<JournalAnswer> {
  const answer: JournalAnswer = { applied: [], rejected: [] };
  for (const entry of [...entries].sort((a, b) => a.seq - b.seq)) {
    const trusted = await checkCredential(services, stationId, entry);
    const decided = await transact(services, async (tx) => {
      const seen = await findAppliedJournalEntry(tx.db, stationId, entry.key);
      if (seen)
        return seen.decision === 'rejected'
          ? { decision: 'rejected' as const, note: seen.note ?? 'rejected' }
          : { decision: 'applied' as const, note: null };
      const refused = 'refused' in trusted ? trusted.refused : await checkAgainstSnapshot(tx, stationId, entry, trusted);
      const decision: Decision = refused
        ? { decision: 'rejected', note: refused }
        : await decide(tx, stationId, entry, trusted as Exclude<Trusted, { refused: string }>);
      if (decision.decision === 'rejected') await raiseJournalRefusal(tx, stationId, entry, decision.note);
      await recordJournalEntryApplied(tx.db, {
        station_id: stationId,
        key: entry.key,
        seq: entry.seq,
        kind: entry.action.kind,
        decision: decision.decision,
        note: decision.note,
        happened_at: entry.at,
        applied_at: tx.now,
        snapshot_id: 'refused' in trusted ? null : trusted.snapshot.id,
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
    if (decided.decision === 'rejected') {
      services.log.warn({ stationId, key: entry.key, kind: entry.action.kind, reason: decided.note }, 'journal entry refused');
      answer.rejected.push({ key: entry.key, reason: decided.note });
    } else answer.applied.push(entry.key);
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

async function decide(
  tx: Tx,
  stationId: string,
  entry: JournalEntry,
  trusted: Exclude<Trusted, { refused: string }>,
): Promise<Decision> {
  const act = actFor(entry.action.kind);
  if (!act.replay) return { decision: 'rejected', note: `${entry.action.kind} is not possible offline` };
  await releaseOnlineStep(tx, stationId, entry);
  // The door did its job but nothing changed hands: only the record remains.
  const changedHands =
    entry.outcome === 'completed' && (entry.action.kind === 'borrow' ? !entry.presenceAfter : entry.presenceAfter);
  if (!changedHands)
    return { decision: 'applied', note: entry.action.kind === 'borrow' ? 'the loaner was not taken' : 'nothing was returned' };
  return act.replay({ tx, stationId, personId: trusted.personId, entry });
}
