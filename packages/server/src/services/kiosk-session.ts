import { checkCollectable, DomainError, validatePin, validateStudentNumber, type Credential } from '@cubby/core';
import { endKioskSession, findKioskPerson, newId, setOfflineBadgeHash, startKioskSession } from '@cubby/db';
import type { SignedIn } from '@cubby/protocol';
import type { KioskSession } from '../secrets.js';
import { stationContext, withPolicy, type Services, type StationPolicyContext } from './deps.js';
import { kioskChoices } from './kiosk/choices.js';
import { technicianSignIn } from './kiosk/technician-mode.js';
import { takePinAttempt } from './pin-attempts.js';

/** A student scans a badge or types student number + PIN at a station. */
export async function signIn(services: Services, stationId: string, credential: Credential, now = Date.now()): Promise<SignedIn> {
  const { cubby, keys, hashes } = services;
  let found: Awaited<ReturnType<typeof findKioskPerson>>;
  let ctx: StationPolicyContext;
  if ('badge' in credential) {
    // One statement reads the station with the person; only a miss reads the station alone (not_found if unknown).
    found = await findKioskPerson(cubby, { badgeHash: keys.badgeHash(credential.badge) }, stationId);
    ctx = found ? withPolicy(found.station) : await stationContext(cubby, stationId);
    if (!found || found.person.district_id !== ctx.districtId) throw new DomainError('unknown_credential');
    // People enrolled before offline mode get the badge's offline form the first time they scan it.
    if (found.person.offline_badge_hash == null)
      await setOfflineBadgeHash(cubby.db, found.person.id, keys.offlineBadgeHash(credential.badge));
  } else {
    const studentNumber = validateStudentNumber(credential.studentNumber);
    validatePin(credential.pin);
    found = await findKioskPerson(cubby, { studentNumber }, stationId);
    ctx = found ? withPolicy(found.station) : await stationContext(cubby, stationId);
    // Counted before the PIN is checked, so PINs sent at once cannot pass the limits together.
    const attempt = await takePinAttempt(services, { stationId, districtId: ctx.districtId }, studentNumber, now);
    const ok = found?.person.pin_hash ? await hashes.verify(found.person.pin_hash, credential.pin) : false;
    // The same answer for an unknown number and a wrong PIN: no enumeration.
    if (!found || !ok) throw attempt.refused();
    await attempt.succeeded();
  }
  // A single-use task of this person's, ready here, came with the person: the kiosk shows it first (services/kiosk/task.ts).
  const { person, loans, charge, pickup, task } = found;
  if (person.active !== 1) throw new DomainError('not_eligible', 'This account is not active');
  const choices = await kioskChoices({ db: cubby.db, now }, ctx, found);
  const technician = await technicianSignIn(cubby.db, person, ctx);

  const expiresAt = now + services.config.kioskSessionSeconds * 1000;
  const sessionId = await startSession(services, stationId);
  const agreementRequired = ctx.policy.requireAgreement && person.agreement_accepted_at === null;
  return {
    session: keys.signKioskSession({ personId: person.id, stationId, expiresAt, sessionId }),
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
    ...(task
      ? {
          task: {
            id: task.id,
            kind: task.kind,
            compartment: task.kind === 'pick_up' ? task.compartmentNumber : null,
            assetTag: task.assetTag,
          },
        }
      : {}),
    agreementRequired,
    choices,
    ...(agreementRequired && ctx.agreement ? { agreement: ctx.agreement } : {}),
    ...technician,
  };
}

/**
 * A station has one kiosk screen, so one live session: this sign-in's
 * replaces whichever was there, and the previous person's token is refused
 * from now on (startTransaction checks it in the request's transaction). A
 * request the server already accepted keeps its door: its unlock is on its
 * way to the lock, and a door that opens must be settled by its step.
 */
async function startSession(services: Services, stationId: string): Promise<string> {
  const sessionId = newId();
  await startKioskSession(services.cubby, stationId, sessionId);
  return sessionId;
}

/** The kiosk signed out: its session ends on the server now, not when its token expires. */
export async function signOut(services: Services, stationId: string, token: string): Promise<void> {
  const session = services.keys.verifyKioskSession(token);
  // An unknown or foreign token has no session here to end.
  if (!session || session.stationId !== stationId) return;
  await endKioskSession(services.cubby, stationId, session.sessionId);
}

/**
 * Checks a kiosk session token: it must be this station's and still valid.
 * Whether it is still the station's live session is checked with the request
 * (startTransaction), in the same transaction.
 */
export function sessionOf(services: Services, stationId: string, token: string, now = Date.now()): KioskSession {
  const session = services.keys.verifyKioskSession(token);
  if (!session || session.stationId !== stationId) throw new DomainError('session_expired', 'Please scan your badge again');
  if (session.expiresAt < now) throw new DomainError('session_expired', 'Please scan your badge again');
  return session;
}
