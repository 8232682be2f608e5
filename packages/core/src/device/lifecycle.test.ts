import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors.js';
import { deviceStatuses, isInCompartment, nextDevice } from './device.js';
import { lifecycleEvent, retireReasons, wipeMethods, wipeRequired, type LifecycleStep } from './lifecycle.js';

const aStep: fc.Arbitrary<LifecycleStep> = fc.oneof(
  fc.constantFrom(...wipeMethods).map((method) => ({ type: 'wipe' as const, method })),
  fc.constantFrom(...retireReasons).map((reason) => ({ type: 'retire' as const, reason })),
  fc.constant({ type: 'lost' as const }),
  fc.constant({ type: 'found' as const }),
);
const aDevice = fc.record({ status: fc.constantFrom(...deviceStatuses), onLoan: fc.boolean() });

describe('device lifecycle steps', () => {
  it('every step is a device event core accepts, or an invalid_transition refusal', () => {
    fc.assert(
      fc.property(aDevice, aStep, (device, step) => {
        const event = lifecycleEvent(device, step);
        if (isDomainError(event)) {
          expect(event.code).toBe('invalid_transition');
          expect(event.status).toBe(409);
          expect(event.details).toMatchObject({ state: device.status, event: step.type });
        } else {
          expect(event.type).toBe(step.type);
          expect(isDomainError(nextDevice(device.status, event))).toBe(false);
        }
      }),
    );
  });

  it('a wipe leaves the device where it is, and only a device in hand is wiped', () => {
    for (const status of deviceStatuses) {
      const event = lifecycleEvent({ status, onLoan: false }, { type: 'wipe', method: 'powerwash' });
      if (status === 'in_service' || status === 'in_repair') expect(nextDevice(status, event as never)).toBe(status);
      else expect(isDomainError(event)).toBe(true);
    }
  });

  it('a device in a locker is never retired: it is taken out first', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...deviceStatuses.filter(isInCompartment)),
        fc.constantFrom(...retireReasons),
        (status, reason) => {
          const refusal = lifecycleEvent({ status, onLoan: false }, { type: 'retire', reason });
          expect(isDomainError(refusal) && refusal.details.reason).toBe('in_locker');
        },
      ),
    );
  });

  it('a device on loan is retired only as lost or stolen; otherwise it is returned first', () => {
    for (const reason of retireReasons) {
      const result = lifecycleEvent({ status: 'on_loan', onLoan: true }, { type: 'retire', reason, certificateRef: null });
      if (reason === 'lost' || reason === 'stolen') expect(result).toEqual({ type: 'retire' });
      else expect(isDomainError(result) && result.details.reason).toBe('on_loan');
    }
    // The open loan counts even if the device's status says otherwise (a loan row not yet closed).
    const stale = lifecycleEvent({ status: 'in_service', onLoan: true }, { type: 'retire', reason: 'sold' });
    expect(isDomainError(stale) && stale.details.reason).toBe('on_loan');
  });

  it('lost and found: a lost device is found into repair, a retired one is neither', () => {
    expect(lifecycleEvent({ status: 'in_service', onLoan: false }, { type: 'lost' })).toEqual({ type: 'lost' });
    expect(lifecycleEvent({ status: 'lost', onLoan: false }, { type: 'found' })).toEqual({ type: 'found' });
    expect(nextDevice('lost', { type: 'found' })).toBe('in_repair');
    expect(isDomainError(lifecycleEvent({ status: 'retired', onLoan: false }, { type: 'lost' }))).toBe(true);
    expect(isDomainError(lifecycleEvent({ status: 'in_service', onLoan: false }, { type: 'found' }))).toBe(true);
  });

  it('a device goes to a new holder only once wiped since its last one; a never-held device needs no wipe', () => {
    expect(wipeRequired({ wipedAt: null, lastHeldAt: null })).toBeNull();
    expect(wipeRequired({ wipedAt: null, lastHeldAt: 100 })?.details.reason).toBe('wipe_required');
    expect(wipeRequired({ wipedAt: 100, lastHeldAt: 200 })?.details.reason).toBe('wipe_required');
    expect(wipeRequired({ wipedAt: 200, lastHeldAt: 100 })).toBeNull();
    expect(wipeRequired({ wipedAt: 200, lastHeldAt: null })).toBeNull();
    fc.assert(
      fc.property(fc.option(fc.nat()), fc.option(fc.nat()), (wipedAt, lastHeldAt) => {
        const refused = wipeRequired({ wipedAt, lastHeldAt }) !== null;
        expect(refused).toBe(lastHeldAt !== null && (wipedAt === null || wipedAt < lastHeldAt));
      }),
    );
  });
});
