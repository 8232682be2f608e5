import type { DeviceStatus } from '@cubby/core';
import { moveDevice, setBattery, setDeviceLoanCount, setPersonPinHash, stockCompartment, type CubbyDb } from '@cubby/db';
import { hashPassword } from '@cubby/server';
import type { LoanerState } from './loaners.js';

/**
 * What an import never carries, set on the imported demo district the way the
 * rest of Cubby sets it: PINs as argon2id hashes (like a staff PIN reset),
 * device moves by core's events (a spare flagged and collected for repair, a
 * loaner stocked into its door), and battery readings.
 */
export interface DemoState {
  /** PIN by student number. */
  pins: Map<string, string>;
  /** An own device's battery reading, by asset tag. */
  batteries: Map<string, number>;
  /** Asset tags of the spares waiting for repair. */
  inRepair: string[];
  loaners: LoanerState[];
  stationIds: string[];
}

export async function setDemoState(
  cubby: CubbyDb,
  ids: { personIds: Map<string, string>; deviceIds: Map<string, string> },
  state: DemoState,
  now: number,
): Promise<void> {
  const device = (assetTag: string) => {
    const id = ids.deviceIds.get(assetTag);
    if (!id) throw new Error(`the demo device ${assetTag} was not imported`);
    return id;
  };
  for (const [studentNumber, pin] of state.pins) {
    const id = ids.personIds.get(studentNumber);
    if (!id) throw new Error(`the demo student ${studentNumber} was not imported`);
    await setPersonPinHash(cubby.db, id, await hashPassword(pin));
  }
  for (const [assetTag, percent] of state.batteries) await setBattery(cubby.db, device(assetTag), percent, now);
  for (const assetTag of state.inRepair) await toRepair(cubby, device(assetTag), now);
  for (const loaner of state.loaners) {
    const id = device(loaner.assetTag);
    if (loaner.door === null) await toRepair(cubby, id, now);
    else {
      await moveDevice(cubby.db, { id, from: 'in_service', event: { type: 'stock' }, now });
      await stockCompartment(cubby.db, state.stationIds[loaner.station]!, loaner.door, id, now);
    }
    // Without a reading the device keeps the level the import gave it, unmeasured.
    if (loaner.measured) await setBattery(cubby.db, id, loaner.battery, now);
    await setDeviceLoanCount(cubby.db, id, loaner.loanCount);
  }
}

/** A device in service reported broken and collected by a technician. */
async function toRepair(cubby: CubbyDb, id: string, now: number): Promise<void> {
  let from: DeviceStatus = 'in_service';
  for (const type of ['flag_broken', 'collect_for_repair'] as const)
    from = await moveDevice(cubby.db, { id, from, event: { type }, now });
}
