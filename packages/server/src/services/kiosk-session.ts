import argon2 from 'argon2';
import { checkCollectable, DomainError, validatePin, validateStudentNumber, type Credential } from '@cubby/core';
import {
  findPersonByBadgeHash,
  findPersonByStudentNumber,
  openChargeSession,
  pickupWaiting,
  returnableLoans,
  setOfflineBadgeHash,
  type PersonRow,
} from '@cubby/db';
import type { SignedIn } from '@cubby/protocol';
import { stationContext, type Services } from './deps.js';

/** A student scans a badge or types student number + PIN at a station. */
export async function signIn(services: Services, stationId: string, credential: Credential, now = Date.now()): Promise<SignedIn> {
  const { cubby, keys, pins } = services;
  const ctx = await stationContext(cubby, stationId);
  let person: PersonRow | undefined;
  if ('badge' in credential) {
    person = await findPersonByBadgeHash(cubby.db, keys.badgeHash(credential.badge));
    if (!person || person.district_id !== ctx.districtId) throw new DomainError('unknown_credential');
    // People enrolled before offline mode get the badge's offline form the first time they scan it.
    if (person.offline_badge_hash == null)
      await setOfflineBadgeHash(cubby.db, person.id, keys.offlineBadgeHash(credential.badge));
  } else {
    const studentNumber = validateStudentNumber(credential.studentNumber);
    validatePin(credential.pin);
    const key = `${ctx.districtId}:${studentNumber}`;
    if (pins.isLockedOut(key, now)) throw new DomainError('locked_out');
    person = await findPersonByStudentNumber(cubby.db, ctx.districtId, studentNumber);
    const ok = person?.pin_hash ? await argon2.verify(person.pin_hash, credential.pin) : false;
    if (!person || !ok) {
      pins.recordFailure(key, now);
      // The same answer for an unknown number and a wrong PIN: no enumeration.
      throw new DomainError('wrong_pin', 'Student number or PIN is not right');
    }
    pins.recordSuccess(key);
  }
  if (person.active !== 1) throw new DomainError('not_eligible', 'This account is not active');

  const [loans, charge, pickup] = await Promise.all([
    returnableLoans(cubby.db, person.id),
    openChargeSession(cubby.db, person.id),
    pickupWaiting(cubby.db, person.id, stationId),
  ]);
  const expiresAt = now + services.config.kioskSessionSeconds * 1000;
  const agreementRequired = ctx.policy.requireAgreement && person.agreement_accepted_at === null;
  return {
    session: keys.signKioskSession({ personId: person.id, stationId, expiresAt }),
    expiresAt,
    person: { id: person.id, givenName: person.given_name, role: person.role },
    loans: loans.map((l) => ({
      id: l.id,
      assetTag: l.asset_tag,
      dueAt: Number(l.due_at),
      overdue: l.status === 'overdue' || Number(l.due_at) < now,
    })),
    charging:
      charge && charge.status === 'charging' && charge.station_id === stationId
        ? {
            compartment: charge.compartmentNumber,
            collectable: !checkCollectable(Number(charge.deposited_at), now, ctx.policy.chargeTimeLimitMinutes),
          }
        : null,
    pickup: pickup ? { compartment: pickup.compartmentNumber } : null,
    agreementRequired,
    ...(agreementRequired && ctx.agreement ? { agreement: ctx.agreement } : {}),
  };
}

/** Checks a kiosk session token: it must be this station's and still valid. */
export function personOfSession(services: Services, stationId: string, token: string, now = Date.now()): string {
  const session = services.keys.verifyKioskSession(token);
  if (!session || session.stationId !== stationId) throw new DomainError('session_expired', 'Please scan your badge again');
  if (session.expiresAt < now) throw new DomainError('session_expired', 'Please scan your badge again');
  return session.personId;
}
