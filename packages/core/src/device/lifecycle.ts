import { DomainError } from '../errors.js';
import { isInCompartment, nextDevice, type DeviceEvent, type DeviceStatus } from './device.js';

/**
 * The device lifecycle outside the locker (issue 14): a wipe recorded with its
 * method, a retirement with its reason (and a certificate reference for the
 * ones that leave the district), lost, found, and a device joining the loaner
 * pool only once wiped since its last holder. Each step is one of the device
 * machine's events; this adds the reasons a step is refused beyond the state.
 */
export const wipeMethods = ['powerwash', 'factory_reset', 'remote_wipe', 'reimage', 'disk_destroyed'] as const;
export type WipeMethod = (typeof wipeMethods)[number];

export const retireReasons = ['end_of_life', 'beyond_repair', 'lost', 'stolen', 'sold', 'donated', 'recycled'] as const;
export type RetireReason = (typeof retireReasons)[number];

/** A device may leave the district while out of reach: a loaner never returned, a device stolen from a student. */
const retiredWhileAway: readonly RetireReason[] = ['lost', 'stolen'];

export type LifecycleStep =
  | { type: 'wipe'; method: WipeMethod }
  | { type: 'retire'; reason: RetireReason; certificateRef?: string | null | undefined }
  | { type: 'lost' }
  | { type: 'found' };

export interface LifecycleDevice {
  status: DeviceStatus;
  /** The device has an open loan (the loan row, whatever the device's status says). */
  onLoan: boolean;
}

/**
 * The device event a lifecycle step applies, or why it is refused: a device
 * in a locker is taken out first (a technician, at the station); one on loan
 * is returned first, unless it is retired as lost or stolen; everything else
 * is the machine's own `invalid_transition`.
 */
export function lifecycleEvent(device: LifecycleDevice, step: LifecycleStep): DeviceEvent | DomainError {
  const event: DeviceEvent = { type: step.type };
  const outcome = nextDevice(device.status, event);
  if (typeof outcome !== 'string') return outcome;
  if (step.type === 'retire') {
    if (isInCompartment(device.status))
      return new DomainError('invalid_transition', 'This device is in a locker: take it out first', {
        entity: 'device',
        state: device.status,
        event: step.type,
        reason: 'in_locker',
      });
    if ((device.onLoan || device.status === 'on_loan') && !retiredWhileAway.includes(step.reason))
      return new DomainError('invalid_transition', 'This device is on loan: it must be returned first', {
        entity: 'device',
        state: device.status,
        event: step.type,
        reason: 'on_loan',
      });
  }
  return event;
}

/**
 * A device goes to a new holder (another student, a staff member, a younger
 * grade, the loaner pool) only once wiped since its last holder let it go
 * (`lastHeldAt`: its owner's unassignment or its last loan's end). A device
 * nobody has held yet (new from the vendor) needs no wipe.
 */
export function wipeRequired(device: { wipedAt: number | null; lastHeldAt: number | null }): DomainError | null {
  if (device.lastHeldAt === null) return null;
  if (device.wipedAt === null || device.wipedAt < device.lastHeldAt)
    return new DomainError('conflict', 'Wipe it first: it has not been wiped since its last holder', {
      reason: 'wipe_required',
    });
  return null;
}
