import { assertNever, invalidTransition, type DomainError } from '../errors.js';

export const repairSymptoms = ['screen', 'keyboard', 'battery', 'charging_port', 'wont_turn_on', 'liquid', 'other'] as const;
export type RepairSymptom = (typeof repairSymptoms)[number];

export const repairStatuses = [
  'reported',
  'awaiting_collection',
  'collected',
  'in_repair',
  'repaired',
  'ready_for_pickup',
  'closed',
  'retired',
] as const;
export type RepairStatus = (typeof repairStatuses)[number];

export type RepairEvent =
  | { type: 'deposited' } // left in a kiosk compartment
  | { type: 'collected' } // a technician took it out
  | { type: 'repair_started' }
  | { type: 'repair_finished' }
  | { type: 'placed_for_pickup' }
  | { type: 'picked_up' }
  | { type: 'retire' };

/**
 * The moves the dashboard makes (issue 14): the bench's own steps and
 * retiring a ticket. Collection and pickup happen at the locker.
 */
export const repairDashboardEvents = ['repair_started', 'repair_finished', 'retire'] as const;
export type RepairDashboardEvent = (typeof repairDashboardEvents)[number];

/** The road a repaired device travels; `retired` leaves it from any step. */
const order: readonly RepairStatus[] = repairStatuses.filter((s) => s !== 'retired');

export function nextRepair(state: RepairStatus, event: RepairEvent): RepairStatus | DomainError {
  const step = (from: RepairStatus, to: RepairStatus) =>
    state === from ? to : invalidTransition('repair ticket', state, event.type);
  switch (event.type) {
    case 'deposited':
      return step('reported', 'awaiting_collection');
    case 'collected':
      return step('awaiting_collection', 'collected');
    case 'repair_started':
      return step('collected', 'in_repair');
    case 'repair_finished':
      return step('in_repair', 'repaired');
    case 'placed_for_pickup':
      return step('repaired', 'ready_for_pickup');
    case 'picked_up':
      return step('ready_for_pickup', 'closed');
    case 'retire':
      return state === 'closed' || state === 'retired' ? invalidTransition('repair ticket', state, event.type) : 'retired';
    default:
      return assertNever(event);
  }
}

/**
 * A ticket opened by hand in the IT office (issue 14): the device is already
 * in IT's hands, so the ticket is reported and collected at once. It skips the
 * locker: it has no awaiting_collection time, and turnaround counts nothing for
 * its reported state.
 */
export const handOpenedRepairStates = ['reported', 'collected'] as const satisfies readonly RepairStatus[];
export const handOpenedRepairStatus: RepairStatus = handOpenedRepairStates[handOpenedRepairStates.length - 1]!;

export const warrantyStates = ['in', 'out', 'unknown'] as const;
export type WarrantyState = (typeof warrantyStates)[number];

/** Whether a device is under warranty now, from its warranty end (the end day included); unknown without one. */
export function warrantyState(warrantyEnd: number | null | undefined, now: number): WarrantyState {
  if (warrantyEnd === null || warrantyEnd === undefined || !Number.isFinite(warrantyEnd)) return 'unknown';
  return now <= warrantyEnd ? 'in' : 'out';
}

/** Column holding the time a ticket entered each state (turnaround analytics). */
export function repairTimestampColumn(status: RepairStatus): `${RepairStatus}_at` {
  return `${status}_at`;
}

export function isRepairProgress(from: RepairStatus, to: RepairStatus): boolean {
  return to === 'retired' || order.indexOf(to) === order.indexOf(from) + 1;
}
