import { assertNever } from '../errors.js';
import type { DevicePool, DeviceStatus } from '../device/device.js';
import { isLendable } from '../loan/loaner-choice.js';
import type { CompartmentStatus } from './compartment.js';

/**
 * What a compartment holds, as a technician at the bank would say it. The
 * dashboard's station grid shows each kind with its own look and words, so a
 * broken device waiting for collection never passes for a loaner.
 */
export const compartmentContents = [
  'loaner_ready', // a loaner the kiosk lends now (at or above the charge floor)
  'loaner_charging', // a loaner below the floor, on its charger: lendable once charged
  'loaner_low', // a loaner below the floor and not charging: a technician should look
  'awaiting_collection', // a broken device a student left, waiting for a technician
  'awaiting_owner', // a repaired device waiting for its owner to pick it up
  'own_device_charging', // a student's own device charging, to be collected by them
  'other_device', // a device in a state the bank does not hold for long (mid-visit)
  'unknown_item', // the presence sensor sees something the server has no device for
  'empty',
  'out_of_service',
] as const;
export type CompartmentContent = (typeof compartmentContents)[number];

export interface CompartmentFacts {
  status: CompartmentStatus;
  presence: boolean;
  charging: boolean;
  device: { pool: DevicePool; status: DeviceStatus; batteryPercent: number } | null;
}

export function compartmentContent(facts: CompartmentFacts, minChargePercent: number): CompartmentContent {
  if (facts.status === 'out_of_service') return 'out_of_service';
  const device = facts.device;
  if (!device) return facts.presence && facts.status !== 'open' ? 'unknown_item' : 'empty';
  switch (device.status) {
    case 'available':
      if (device.pool !== 'loaner') return 'other_device';
      if (isLendable(device.batteryPercent, minChargePercent)) return 'loaner_ready';
      return facts.charging ? 'loaner_charging' : 'loaner_low';
    case 'awaiting_collection':
      return 'awaiting_collection';
    case 'ready_for_pickup':
      return 'awaiting_owner';
    case 'charging':
      return 'own_device_charging';
    case 'in_service':
    case 'on_loan':
    case 'in_repair':
    case 'lost':
    case 'retired':
      return 'other_device';
    default:
      return assertNever(device.status);
  }
}
