import { randomBytes } from 'node:crypto';
import { DomainError } from '@cubby/core';
import {
  deletePersonRepairPhotos,
  erasePersonIdentity,
  inTransaction,
  lockPerson,
  personHoldings,
  personRepairNotes,
  personTransactionNotes,
  setRepairNotes,
  setTransactionDetail,
  type CubbyDb,
  type PersonRecord,
  type Tx,
} from '@cubby/db';
import type { Erasure } from '@cubby/protocol/api';
import { operatorActor, personForOperator, type Operator } from './operator.js';

/**
 * Erases a person's identity (docs/privacy.md): names, student number,
 * external id, badge and PIN hashes go, and the photos of their repair
 * tickets (they may show a name sticker); the row stays under a pseudonym, so
 * every loan, repair, transaction and audit event still counts. The audit
 * chain is not touched (its events carry ids only), so it still verifies.
 *
 * Refused while the person has a loaner out or a device of theirs in a
 * locker: once erased nobody could tell who has it or sign in to collect it.
 * `confirm` must repeat the student number (or, without one, the person's id).
 */
export async function erasePerson(
  cubby: CubbyDb,
  operator: Operator,
  personId: string,
  confirm: string | null,
  now = Date.now(),
): Promise<Erasure> {
  return inTransaction(
    cubby,
    async (tx) => {
      // Taken first, so a borrow at a kiosk cannot slip in between the check and the erasure.
      await lockPerson(tx.db, tx.dialect, personId);
      const person = await personForOperator(tx, operator, personId);
      if (person.erasedAt != null)
        throw new DomainError('conflict', 'This person is already erased', { reason: 'already_erased' });
      if (confirm !== null && confirm !== (person.studentNumber ?? person.id))
        throw new DomainError('bad_request', 'The confirmation does not match the student number', { reason: 'confirmation' });
      await refuseWhileHolding(tx, personId);
      const repairNotesRedacted = await redactRepairNotes(tx, person);
      const repairPhotosDeleted = await deletePersonRepairPhotos(tx.db, personId);
      const pseudonym = { givenName: `Erased ${person.role}`, familyName: randomBytes(4).toString('hex') };
      if (!(await erasePersonIdentity(tx.db, personId, pseudonym, tx.now))) throw new DomainError('conflict');
      const name = `${pseudonym.givenName} ${pseudonym.familyName}`;
      const { via, ...actor } = operatorActor(operator);
      tx.audit({
        ...actor,
        action: 'person.erased',
        entityType: 'person',
        entityId: personId,
        data: { pseudonym: name, repairNotesRedacted, repairPhotosDeleted, via },
      });
      return { personId, pseudonym: name, erasedAt: tx.now, repairNotesRedacted, repairPhotosDeleted };
    },
    { now },
  );
}

async function refuseWhileHolding(tx: Tx, personId: string): Promise<void> {
  const held = await personHoldings(tx.db, personId);
  if (held.openLoans > 0)
    throw new DomainError('conflict', 'This person has a loaner out: return it or mark it lost first', { reason: 'open_loan' });
  if (held.charging > 0 || held.pickups > 0)
    throw new DomainError('conflict', 'A device of this person is in a locker: collect it first', { reason: 'device_in_locker' });
}

/**
 * Takes the person's names and numbers out of free text about them: what
 * they typed at a swap and their repair tickets' notes. Exact matches only
 * (docs/privacy.md says what that misses). Returns how many tickets changed.
 */
async function redactRepairNotes(tx: Tx, person: PersonRecord): Promise<number> {
  const terms = [
    `${person.givenName} ${person.familyName}`,
    person.givenName,
    person.familyName,
    person.studentNumber,
    person.externalId,
  ]
    .filter((t): t is string => typeof t === 'string' && t.trim().length >= 2)
    .map((t) => new RegExp(t.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu'));
  const redact = (text: string) => terms.reduce((out, term) => out.replace(term, '[erased]'), text);
  for (const txn of await personTransactionNotes(tx.db, person.id)) {
    const notes = redact(txn.detail.notes);
    if (notes !== txn.detail.notes) await setTransactionDetail(tx.db, txn.id, { ...txn.detail, notes });
  }
  let changed = 0;
  for (const ticket of await personRepairNotes(tx.db, person.id)) {
    const notes = redact(ticket.notes);
    const parts = redact(ticket.parts);
    if (notes !== ticket.notes || parts !== ticket.parts) {
      await setRepairNotes(tx.db, ticket.id, notes, parts);
      changed += 1;
    }
  }
  return changed;
}
