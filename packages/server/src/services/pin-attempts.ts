import { DomainError } from '@cubby/core';
import { insertAlert, newId } from '@cubby/db';
import type { SignInRefusal } from '@cubby/protocol';
import { transact, type Services } from './deps.js';
import {
  countAttempt,
  failuresPer,
  giveBack,
  isOverLimit,
  retryAfterSeconds,
  throttled,
  type CountedAttempt,
} from './throttles.js';

/**
 * Wrong PINs are counted three ways, in the database so every server
 * instance sees them: per student number (the lockout a student sees), per
 * station (one kiosk spraying a common PIN over many student numbers pauses
 * its PIN sign-in and raises an alert) and per district (many stations at
 * once). Badges keep working throughout: only PIN sign-in pauses.
 */
export interface PinAttempt {
  /** The PIN was right: the student's count starts over, and it does not count against the station or district. */
  succeeded(): Promise<void>;
  /**
   * The PIN was wrong, or no student has this number: the same refusal either way (the count is
   * kept per number typed, known or not), saying how many tries the number has left, and for how
   * long sign-in with it is locked once there are none.
   */
  refused(): DomainError;
}

export async function takePinAttempt(
  services: Services,
  place: { stationId: string; districtId: string },
  studentNumber: string,
  now: number,
): Promise<PinAttempt> {
  const { config, keys } = services;
  const [student, station, district] = await countAttempt(
    services,
    [
      {
        key: studentPinThrottleKey(keys, place.districtId, studentNumber),
        rule: failuresPer(config.pinMaxFailures, config.pinLockoutSeconds),
      },
      { key: `pin-station:${place.stationId}`, rule: failuresPer(config.pinStationMaxFailures, config.pinStationWindowSeconds) },
      {
        key: `pin-district:${place.districtId}`,
        rule: failuresPer(config.pinDistrictMaxFailures, config.pinDistrictWindowSeconds),
      },
    ],
    now,
  );
  if (isOverLimit(district!))
    throw throttled(district!, now, 'PIN sign-in is paused across the district for a while; scan a badge');
  if (isOverLimit(station!)) {
    // Exactly one attempt is the first one over the limit: it raises the alert, once per pause.
    if (station!.hits === station!.rule.limit + 1) await raisePinGuessingAlert(services, place.stationId, station!, now);
    throw throttled(station!, now, 'PIN sign-in is paused at this station for a while; scan a badge');
  }
  if (isOverLimit(student!)) {
    const locked: SignInRefusal = { retryAfter: retryAfterSeconds(student!, now) };
    throw new DomainError('locked_out', undefined, locked);
  }
  return {
    succeeded: () => giveBack(services, [station!.key, district!.key], [student!.key]),
    refused: () => wrongPin(student!, now),
  };
}

/** The key a student number's wrong PINs count under (the lockout staff clear when they reset the PIN). */
export function studentPinThrottleKey(keys: Services['keys'], districtId: string, studentNumber: string): string {
  return `pin-number:${keys.throttleKey(`${districtId}:${studentNumber}`)}`;
}

/** This wrong PIN was counted already; the one that reaches the limit started the lockout (db's throttles.ts). */
function wrongPin(student: CountedAttempt, now: number): DomainError {
  const triesLeft = Math.max(0, student.rule.limit - student.hits);
  const refusal: SignInRefusal = triesLeft > 0 ? { triesLeft } : { triesLeft, retryAfter: retryAfterSeconds(student, now) };
  return new DomainError('wrong_pin', 'Student number or PIN is not right', refusal);
}

async function raisePinGuessingAlert(services: Services, stationId: string, counted: CountedAttempt, now: number) {
  const detail = {
    wrongPins: counted.rule.limit,
    windowSeconds: counted.rule.windowMs / 1000,
    pausedUntil: counted.windowEndsAt,
  };
  services.log.warn({ stationId, ...detail }, 'many wrong PINs at a station: PIN sign-in paused there');
  await transact(services, async (tx) => {
    const alertId = newId();
    await insertAlert(tx.db, {
      id: alertId,
      kind: 'pin_guessing',
      station_id: stationId,
      compartment_id: null,
      detail,
      raised_at: now,
      cleared_at: null,
    });
    tx.audit({
      actorType: 'station',
      actorId: stationId,
      action: 'station.pin_guessing',
      entityType: 'station',
      entityId: stationId,
      stationId,
      data: detail,
    });
    tx.emit({ type: 'alert.raised', alertId, kind: 'pin_guessing', stationId, compartmentNumber: null });
  });
}
