import { bankDifference, DomainError, type DoorRecord } from '@cubby/core';
import { findCompartment, parseJson, reserveCompartment, setKioskTransactionDetail, type CompartmentRow } from '@cubby/db';
import { announceCompartment } from '../deps.js';
import { isMidTransaction } from '../compartment-operations.js';
import { personAt, type Start, type StepAt } from './act.js';
import { emptyTally, tallyOf, type Tally } from './technician-mode.js';

/**
 * What a technician's door acts share (open a door with a reason, take it out
 * of service, the bank check opening each door): the door picked on the map,
 * refused while a visit uses it, held for the technician's look, and the
 * difference its shut shows between the records and what is inside (core's
 * `bankDifference`, the bank check's one comparison).
 */

/** The station's door a technician picked; one a visit holds (`door_in_use`) is not theirs to open or change. */
export async function pickedDoor(s: Start, number: number): Promise<CompartmentRow> {
  const door = await findCompartment(s.tx.db, s.ctx.stationId, number);
  if (!door) throw new DomainError('not_found', `This station has no locker ${number}`);
  if (isMidTransaction(door))
    throw new DomainError('door_in_use', `Locker ${number} is in use by another visit; try again once it has closed`, {
      compartment: number,
    });
  return door;
}

/** What the records say is behind a door, with its device's asset tag. */
export async function doorRecord(s: Start, door: CompartmentRow): Promise<DoorRecord> {
  if (!door.device_id) return { number: door.number, status: door.status, device: null };
  const device = await s.tx.db.selectFrom('devices').select('asset_tag').where('id', '=', door.device_id).executeTakeFirst();
  return { number: door.number, status: door.status, device: { assetTag: device?.asset_tag ?? null } };
}

/** Holds a door (empty or loaded) for the technician's look; `commandId` when its unlock goes out now. */
export async function holdForLook(
  s: Start,
  door: CompartmentRow,
  hold: { transactionId: string; purpose: 'technician_open' | 'bank_check'; commandId: string | null },
) {
  if (door.status !== 'empty' && door.status !== 'loaded')
    throw new DomainError('door_out_of_service', `Locker ${door.number} is out of service; put it back in service first`, {
      compartment: door.number,
    });
  try {
    await reserveCompartment(s.tx.db, door.id, door.status, { ...hold, now: s.tx.now });
  } catch (error) {
    if (error instanceof DomainError && error.code === 'conflict')
      throw new DomainError('door_in_use', `Locker ${door.number} is in use by another visit; try again once it has closed`, {
        compartment: door.number,
      });
    throw error;
  }
  announceCompartment(s.tx, s.ctx.stationId, door, 'reserved');
}

interface LookDetail {
  /** What the records said was behind each door when it was held, by door number. */
  expected: Record<string, DoorRecord>;
  tally?: Tally;
}

export function lookDetail(records: DoorRecord[], extra: Record<string, unknown> = {}) {
  return { ...extra, expected: Object.fromEntries(records.map((r) => [String(r.number), r])), tally: emptyTally() };
}

/**
 * A looked-at door shut: the records follow its sensor (completeStep did, as
 * for any door), a device the records expected and no longer inside is let go
 * of the door (audited), and a difference joins the tally. Returns the tally.
 */
export async function noteDoorShut(step: StepAt, presence: boolean): Promise<Tally> {
  const detail = parseJson<LookDetail & Record<string, unknown>>(step.txn.detail);
  const expected = detail.expected[String(step.door.number)] ?? {
    number: step.door.number,
    status: 'empty',
    device: null,
  };
  const difference = bankDifference(expected, presence);
  if (!presence && step.door.device_id)
    step.tx.audit({
      actorType: 'person',
      actorId: step.txn.person_id,
      stationId: step.stationId,
      transactionId: step.txn.id,
      action: 'compartment.device_removed',
      entityType: 'compartment',
      entityId: step.door.id,
      data: { number: step.door.number, deviceId: step.door.device_id, assetTag: expected.device?.assetTag ?? null },
    });
  if (difference)
    step.tx.audit({
      ...personAt(step),
      action: 'compartment.contents_differ',
      entityType: 'compartment',
      entityId: step.door.id,
      data: { ...difference },
    });
  const tally = tallyOf(step);
  const next: Tally = difference ? { ...tally, differences: [...(tally.differences ?? []), difference] } : tally;
  const updated = { ...detail, tally: next };
  await setKioskTransactionDetail(step.tx.db, step.txn.id, updated);
  step.txn.detail = JSON.stringify(updated);
  return next;
}

/** The tally as the kiosk's summary: a door check always says its differences, none included. */
export function lookSummary(tally: Tally): Tally {
  return { ...tally, differences: tally.differences ?? [] };
}
