import { DomainError, type Principal } from '@cubby/core';
import {
  findPersonRecord,
  findStudentNumberHolder,
  insertPeople,
  newId,
  setPersonActive,
  updatePersonFields,
  type PersonFields,
  type Tx,
} from '@cubby/db';
import type { Person, PersonChange, PersonInput } from '@cubby/protocol/api';
import { transact, type Services } from '../deps.js';
import { byWhom, campusFor, personFor, theDistrictId } from '../district-records.js';
import { toPerson } from './person-profile.js';

/**
 * Adding and editing one person by hand (a student who enrolled mid-year, a
 * new staff member), deactivating and reactivating them. A student needs a
 * student number (the kiosk's PIN sign-in is by number) and it is unique in
 * the district. Audited with the fields changed, by the names of the staff.
 */
export async function addPerson(services: Services, principal: Principal, input: PersonInput): Promise<Person> {
  return transact(services, async (tx) => {
    const districtId = await theDistrictId(tx);
    await campusFor(tx, principal, input.siteId);
    checkStudentFields(input.role, input.studentNumber, input.grade);
    await refuseTakenNumber(tx, districtId, input.studentNumber, null);
    const id = newId();
    await insertPeople(tx.db, [
      {
        id,
        district_id: districtId,
        site_id: input.siteId,
        role: input.role,
        external_id: input.externalId,
        student_number: input.studentNumber,
        given_name: input.givenName.trim(),
        family_name: input.familyName.trim(),
        grade: input.grade,
        badge_hash: null,
        offline_badge_hash: null,
        pin_hash: null,
        agreement_accepted_at: null,
        active: 1,
        created_at: tx.now,
      },
    ]);
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'person.created',
      entityType: 'person',
      entityId: id,
      data: { role: input.role, siteId: input.siteId, grade: input.grade, by: byWhom(principal) },
    });
    return reread(tx, id);
  });
}

export async function changePerson(services: Services, principal: Principal, personId: string, change: PersonChange) {
  return transact(services, async (tx) => {
    const before = await personFor(tx, principal, personId);
    if (before.erasedAt != null) throw new DomainError('conflict', 'This person was erased', { reason: 'erased' });
    if (change.siteId !== undefined) await campusFor(tx, principal, change.siteId);
    const studentNumber = change.studentNumber === undefined ? before.studentNumber : change.studentNumber;
    checkStudentFields(before.role, studentNumber, change.grade === undefined ? before.grade : change.grade);
    if (change.studentNumber !== undefined) await refuseTakenNumber(tx, before.districtId, change.studentNumber, personId);
    const fields: PersonFields = {
      ...(change.givenName !== undefined ? { given_name: change.givenName.trim() } : {}),
      ...(change.familyName !== undefined ? { family_name: change.familyName.trim() } : {}),
      ...(change.siteId !== undefined ? { site_id: change.siteId } : {}),
      ...(change.studentNumber !== undefined ? { student_number: change.studentNumber } : {}),
      ...(change.grade !== undefined ? { grade: change.grade } : {}),
      ...(change.externalId !== undefined ? { external_id: change.externalId } : {}),
    };
    if (!(await updatePersonFields(tx.db, personId, fields))) throw new DomainError('conflict');
    // Which fields changed, not their values: the audit chain keeps no names (docs/privacy.md).
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'person.updated',
      entityType: 'person',
      entityId: personId,
      data: { fields: Object.keys(change).sort(), by: byWhom(principal) },
    });
    return reread(tx, personId);
  });
}

/** Off the roster without losing their history (a deactivated person cannot sign in at a kiosk), or back on it. */
export async function changePersonActive(services: Services, principal: Principal, personId: string, active: boolean) {
  return transact(services, async (tx) => {
    const before = await personFor(tx, principal, personId);
    if (before.erasedAt != null) throw new DomainError('conflict', 'This person was erased', { reason: 'erased' });
    if ((Number(before.active) === 1) === active) return toPerson(before);
    await setPersonActive(tx.db, personId, active);
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: active ? 'person.reactivated' : 'person.deactivated',
      entityType: 'person',
      entityId: personId,
      data: { by: byWhom(principal) },
    });
    return reread(tx, personId);
  });
}

function checkStudentFields(role: Person['role'], studentNumber: string | null, grade: string | null): void {
  if (role === 'student' && !studentNumber)
    throw new DomainError('bad_request', 'A student needs a student number', { reason: 'student_number_required' });
  if (role !== 'student' && grade !== null)
    throw new DomainError('bad_request', 'Only students have a grade', { reason: 'grade_for_student' });
}

async function refuseTakenNumber(tx: Tx, districtId: string, studentNumber: string | null, self: string | null) {
  if (!studentNumber) return;
  const holder = await findStudentNumberHolder(tx.db, districtId, studentNumber);
  if (holder && holder !== self)
    throw new DomainError('conflict', 'Someone else in the district has this student number', {
      reason: 'student_number_taken',
    });
}

async function reread(tx: Tx, id: string): Promise<Person> {
  return toPerson((await findPersonRecord(tx.db, id))!);
}
