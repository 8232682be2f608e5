import { assertNever, DomainError, invalidTransition } from '../errors.js';

/**
 * "Charge my device": a student locks their own device in a charging
 * compartment and collects it later with the same credential.
 */
export const chargeStatuses = ['depositing', 'charging', 'collecting', 'collected', 'cancelled'] as const;
export type ChargeStatus = (typeof chargeStatuses)[number];

export type ChargeEvent =
  | { type: 'deposited' } // door closed with a device inside
  | { type: 'deposit_failed' } // door closed empty, or the lock failed
  | { type: 'collect' } // student asked for it back
  | { type: 'collected' } // door closed empty
  | { type: 'collect_failed' }; // left it inside, or the lock failed

export function nextCharge(state: ChargeStatus, event: ChargeEvent): ChargeStatus | DomainError {
  const step = (from: ChargeStatus, to: ChargeStatus) =>
    state === from ? to : invalidTransition('charge session', state, event.type);
  switch (event.type) {
    case 'deposited':
      return step('depositing', 'charging');
    case 'deposit_failed':
      return step('depositing', 'cancelled');
    case 'collect':
      return step('charging', 'collecting');
    case 'collected':
      return step('collecting', 'collected');
    case 'collect_failed':
      return step('collecting', 'charging');
    default:
      return assertNever(event);
  }
}

/** Self-service collection is allowed only within the policy's time limit. */
export function checkCollectable(depositedAt: number, now: number, limitMinutes: number): DomainError | undefined {
  return now - depositedAt > limitMinutes * 60_000
    ? new DomainError('charge_expired', 'The charging time limit has passed; please see a technician', {
        limitMinutes,
      })
    : undefined;
}
