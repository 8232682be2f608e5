import { DomainError, type DeviceStatus } from '@cubby/core';
import { findDevice, moveDevice, parseJson } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { sendCommand } from '../deps.js';
import { personAt, type KioskAct, type Outcome, type Start, type StepAt, type StepHandler } from './act.js';
import { onDepositDoorJammed } from './return.js';
import { holdFirstDoor, openKioskTransaction, startStep } from './steps.js';
import { assertTechnicianHere, scannedDevice } from './technician-mode.js';

type RestockLoaners = Extract<KioskAction, { kind: 'restock_loaners' }>;

interface Detail {
  deviceId: string;
  assetTag: string;
}

/** Where a loaner can come from to be stocked: the IT office (in service) or the repair bench. */
const stockable: ReadonlySet<DeviceStatus> = new Set(['in_service', 'in_repair']);

/**
 * A technician puts a loaner into an empty door: they scan (or type) its
 * asset tag first, so a device that is not a loaner, is on loan to someone,
 * is unknown, or already sits in a compartment is refused before any door
 * opens. Once the door shuts on it, the loaner is available behind that door.
 */
export async function startRestock(s: Start, action: RestockLoaners) {
  await assertTechnicianHere(s);
  const device = await scannedDevice(s, action.assetTag);
  if (device.pool !== 'loaner') throw new DomainError('not_a_loaner', `${device.asset_tag} is not a loaner`);
  if (device.on_loan || device.status === 'on_loan')
    throw new DomainError('device_on_loan', `${device.asset_tag} is on loan to someone; it must be returned first`);
  if (device.compartment_number !== null)
    throw new DomainError('device_in_compartment', `${device.asset_tag} is already behind door ${device.compartment_number}`);
  if (!stockable.has(device.status))
    throw new DomainError('invalid_transition', `${device.asset_tag} is ${device.status}, so it cannot be stocked`);
  const detail: Detail = { deviceId: device.id, assetTag: device.asset_tag };
  const transactionId = await openKioskTransaction(s, 'restock_loaners', { ...detail });
  // Charging doors first (holdFreeCompartment's order), so the loaner charges.
  const door = await holdFirstDoor(s, transactionId, 'restock_loaner', false);
  return startStep(s, transactionId, 'restock_loaners', door, 'restock_loaner');
}

/** The door shut: with something inside, the loaner is available behind it, on the charger. */
export async function onRestockDoorClosed(step: StepAt, presence: boolean): Promise<Outcome> {
  const { tx, txn, door, stationId } = step;
  if (!presence) return { error: new DomainError('nothing_returned', 'No device was detected, so nothing was stocked') };
  const { deviceId } = parseJson<Detail>(txn.detail);
  const device = await findDevice(tx.db, deviceId);
  if (!device) throw new DomainError('not_found', 'device missing');
  await moveDevice(tx.db, { id: deviceId, from: device.status, event: { type: 'stock' }, now: tx.now });
  // As a returned loaner's: the port of a charging door is on (a no-op where chargers are wired on).
  if (door.has_charger) sendCommand(tx, stationId, { kind: 'set_charging', compartment: door.number, on: true });
  tx.audit({
    ...personAt(step),
    action: 'device.restocked',
    entityType: 'device',
    entityId: deviceId,
    data: { compartment: door.number, from: device.status },
  });
  return {};
}

export const restockLoaner: StepHandler = {
  deviceLeftIn: ({ txn }) => parseJson<Detail>(txn.detail).deviceId,
  closed: onRestockDoorClosed,
  jammed: onDepositDoorJammed,
};

export const restockLoaners: KioskAct<RestockLoaners> = {
  kind: 'restock_loaners',
  start: startRestock,
  steps: { restock_loaner: restockLoaner },
};
