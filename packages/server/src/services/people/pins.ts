import { randomInt } from 'node:crypto';
import { DomainError, validatePin, type Principal } from '@cubby/core';
import { clearThrottle, setPersonPinHash, studentsOfGrade } from '@cubby/db';
import type { PinIssued, PinSheet, PinSheetRequest } from '@cubby/protocol/api';
import { transact, type Services } from '../deps.js';
import { byWhom, campusFor, personFor } from '../district-records.js';
import { studentPinThrottleKey } from '../pin-attempts.js';

/**
 * New kiosk PINs from staff: one student's (a forgotten PIN) or a whole
 * grade's at a campus (the first week of school, as a printed sheet). Each
 * PIN is in the answer once and stored only as the argon2id hash the kiosk's
 * PIN sign-in checks; neither the audit log nor the server's log ever holds it.
 */
const pinDigits = 6;
/** A grade at one campus is a few hundred students; a sheet is printed, not a bulk export. */
const maxSlips = 1000;
const byName = new Intl.Collator('en', { sensitivity: 'base' });

/** Six random digits, never an obvious one (all alike, a run up or down). */
export function newPin(): string {
  for (;;) {
    const pin = String(randomInt(0, 10 ** pinDigits)).padStart(pinDigits, '0');
    if (!isObvious(pin)) return pin;
  }
}

function isObvious(pin: string): boolean {
  const steps = new Set([...pin].slice(1).map((d, i) => (Number(d) - Number(pin[i]) + 10) % 10));
  return steps.size === 1 && (steps.has(0) || steps.has(1) || steps.has(9));
}

export async function resetPin(services: Services, principal: Principal, personId: string, now = Date.now()): Promise<PinIssued> {
  const pin = newPin();
  validatePin(pin);
  // Hashed before the transaction: a slow argon2id must not hold the database's write lock.
  const hash = await services.hashes.hash(pin);
  await transact(services, async (tx) => {
    const person = await personFor(tx, principal, personId);
    if (!person.studentNumber || person.erasedAt != null)
      throw new DomainError('conflict', 'A PIN signs in with a student number, and this person has none', {
        reason: 'no_student_number',
      });
    await setPersonPinHash(tx.db, personId, hash);
    // A student locked out by wrong PINs can sign in with the new one at once.
    await clearThrottle(tx.db, studentPinThrottleKey(services.keys, person.districtId, person.studentNumber));
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'person.pin_reset',
      entityType: 'person',
      entityId: personId,
      data: { by: byWhom(principal) },
    });
  });
  return { personId, pin, issuedAt: now };
}

/** PINs for every active student of a grade at a campus (or only those without one), as a sheet's slips. */
export async function issuePinSheet(services: Services, principal: Principal, request: PinSheetRequest): Promise<PinSheet> {
  const db = services.cubby.db;
  const site = await campusFor({ db }, principal, request.siteId);
  const students = (await studentsOfGrade(db, site.id, request.grade, request.onlyWithoutPin ?? false)).sort(
    // As a teacher reads a class list: Álvarez before Benítez, whatever the database's byte order says.
    (a, b) => byName.compare(a.familyName, b.familyName) || byName.compare(a.givenName, b.givenName),
  );
  if (students.length > maxSlips) throw new DomainError('bad_request', `A sheet holds at most ${maxSlips} students`);
  const slips: ((typeof students)[number] & { studentNumber: string; pin: string; hash: string })[] = [];
  // One at a time: the hasher's queue is shared with every sign-in of the district.
  for (const s of students) {
    const pin = newPin();
    slips.push({ ...s, studentNumber: s.studentNumber!, pin, hash: await services.hashes.hash(pin) });
  }
  const sheetId = await transact(services, async (tx) => {
    for (const slip of slips) {
      await setPersonPinHash(tx.db, slip.id, slip.hash);
      await clearThrottle(tx.db, studentPinThrottleKey(services.keys, site.district_id, slip.studentNumber));
      tx.audit({
        actorType: 'user',
        actorId: principal.id,
        action: 'person.pin_issued',
        entityType: 'person',
        entityId: slip.id,
        data: { siteId: site.id, grade: request.grade, by: byWhom(principal) },
      });
    }
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'site.pin_sheet_issued',
      entityType: 'site',
      entityId: site.id,
      data: { siteId: site.id, grade: request.grade, count: slips.length, by: byWhom(principal) },
    });
    return tx.now;
  });
  return {
    siteName: site.name,
    grade: request.grade,
    issuedAt: sheetId,
    timeZone: site.time_zone,
    slips: slips.map(({ id, givenName, familyName, studentNumber, pin }) => ({
      personId: id,
      givenName,
      familyName,
      studentNumber,
      pin,
    })),
  };
}
