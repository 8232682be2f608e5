import { canSeeSite, DomainError, type Principal } from '@cubby/core';
import { findFirstDistrict, findPersonIdByIdOrStudentNumber, findPersonRecord, type AuditEntry, type Tx } from '@cubby/db';

/**
 * Who exports or erases: a dashboard user (or API caller) with the
 * permission, an operator at the server's command line, or the retention job.
 */
export type Operator = Principal | 'cli' | 'retention';

/** The audit event's actor: ids only (docs/privacy.md), never a name of the person acted on. */
export function operatorActor(operator: Operator): Pick<AuditEntry, 'actorType' | 'actorId'> & { via: string } {
  if (operator === 'cli' || operator === 'retention') return { actorType: 'system', actorId: null, via: operator };
  return { actorType: 'user', actorId: operator.id, via: operator.kind };
}

/**
 * The person, as the operator may see them: a campus-limited principal gets
 * not_found for someone of another campus (the same answer as for nobody).
 */
export async function personForOperator(tx: Pick<Tx, 'db'>, operator: Operator, personId: string) {
  const person = await findPersonRecord(tx.db, personId);
  if (!person) throw new DomainError('not_found', 'No such person');
  if (typeof operator === 'object' && !canSeeSite(operator, person.siteId)) throw new DomainError('not_found', 'No such person');
  return person;
}

/** `cubby privacy …` names a person by id or student number (the district's). */
export async function resolvePerson(tx: Pick<Tx, 'db'>, idOrStudentNumber: string): Promise<string> {
  const district = await findFirstDistrict(tx.db);
  const id = district && (await findPersonIdByIdOrStudentNumber(tx.db, district.id, idOrStudentNumber));
  if (!id) throw new DomainError('not_found', 'No person with that id or student number');
  return id;
}
