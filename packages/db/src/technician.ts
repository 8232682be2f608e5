import { bankDifference, type BankDifference } from '@cubby/core';
import { isOpenLoan } from './loans.js';
import { droppedOffAt, tasksToLoadQuery } from './tasks.js';
import type { Executor } from './transaction.js';

/**
 * What technician mode at a kiosk reads: the menu's counts, a device by the
 * asset tag a technician scanned, and the loaners behind a station's doors.
 */

/** A door that is free for something to go in: empty, nothing recorded behind it, held by nobody. */
function freeDoors(db: Executor, stationId: string) {
  return db
    .selectFrom('compartments')
    .where('compartments.station_id', '=', stationId)
    .where('compartments.status', '=', 'empty')
    .where('compartments.device_id', 'is', null)
    .where('compartments.transaction_id', 'is', null);
}

/** Available loaners behind this station's loaded doors that no transaction holds, lowest door first. */
export function loanersBehindDoors(db: Executor, stationId: string) {
  return db
    .selectFrom('compartments')
    .innerJoin('devices', 'devices.id', 'compartments.device_id')
    .select([
      'compartments.id as compartmentId',
      'compartments.number as compartmentNumber',
      'devices.id as deviceId',
      'devices.asset_tag as assetTag',
    ])
    .where('compartments.station_id', '=', stationId)
    .where('compartments.status', '=', 'loaded')
    .where('compartments.transaction_id', 'is', null)
    .where('devices.pool', '=', 'loaner')
    .where('devices.status', '=', 'available')
    .orderBy('compartments.number');
}

/**
 * The technician menu's counts at a station, in one statement: flagged devices
 * to collect (their door's sensor reads something inside), free doors,
 * loaners here, and repaired devices of the campus (or with no campus) to place.
 */
export async function technicianCounts(db: Executor, where: { stationId: string; siteId: string; districtId: string }) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('repair_tickets')
        .innerJoin('compartments', 'compartments.id', 'repair_tickets.compartment_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('repair_tickets.status', '=', 'awaiting_collection')
        .where('compartments.station_id', '=', where.stationId)
        .where('compartments.status', '=', 'loaded')
        .where('compartments.presence', '!=', 0)
        .as('awaiting'),
      freeDoors(db, where.stationId)
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('empty'),
      loanersBehindDoors(db, where.stationId)
        .clearSelect()
        .clearOrderBy()
        .select((e) => e.fn.countAll<number>().as('n'))
        .as('loaners'),
      eb
        .selectFrom('repair_tickets')
        .innerJoin('devices', 'devices.id', 'repair_tickets.device_id')
        .select((e) => e.fn.countAll<number>().as('n'))
        .where('repair_tickets.status', '=', 'repaired')
        .where('devices.status', '=', 'in_repair')
        .where('devices.district_id', '=', where.districtId)
        .where((e) => e.or([e('devices.site_id', '=', where.siteId), e('devices.site_id', 'is', null)]))
        .as('repaired'),
      tasksToLoadQuery(db, where.stationId).as('tasks'),
    ])
    .executeTakeFirstOrThrow();
  // Devices a drop-off task left here are collected with the flagged ones (the sensor reads them inside).
  const droppedOff = (await droppedOffAt(db, where.stationId)).filter(
    (d) => d.compartmentStatus === 'loaded' && d.presence !== 0,
  );
  return {
    awaitingCollection: Number(row.awaiting ?? 0) + droppedOff.length,
    emptyCompartments: Number(row.empty ?? 0),
    loanersHere: Number(row.loaners ?? 0),
    readyToPlace: Number(row.repaired ?? 0),
    tasksToLoad: Number(row.tasks ?? 0),
    differences: await bankDifferences(db, where.stationId),
  };
}

/**
 * The bank check by the sensors: every door whose sensor disagrees with the
 * records (core's `bankDifference`): a device recorded inside that reads
 * empty, or something inside that no device on record explains. A door held
 * by a visit (its door open or about to be) is mid-change, not a difference;
 * a door out of service is a technician's already.
 */
export async function bankDifferences(db: Executor, stationId: string): Promise<BankDifference[]> {
  const rows = await db
    .selectFrom('compartments')
    .leftJoin('devices', 'devices.id', 'compartments.device_id')
    .select([
      'compartments.number',
      'compartments.status',
      'compartments.presence',
      'compartments.device_id',
      'devices.asset_tag',
    ])
    .where('compartments.station_id', '=', stationId)
    .where('compartments.transaction_id', 'is', null)
    .where('compartments.status', 'in', ['loaded', 'empty'])
    .orderBy('compartments.number')
    .execute();
  return rows.flatMap((r) => {
    const d = bankDifference(
      { number: r.number, status: r.status, device: r.device_id ? { assetTag: r.asset_tag ?? null } : null },
      Number(r.presence) === 1,
    );
    return d ? [d] : [];
  });
}

/**
 * The district's device with this asset tag (case as typed or scanned does not
 * matter), with whether a loan of it is open, the compartment the server has
 * it in, and its ticket waiting to be placed for pickup (status `repaired`).
 */
export function deviceByAssetTag(db: Executor, districtId: string, assetTag: string) {
  return db
    .selectFrom('devices')
    .select(['devices.id', 'devices.asset_tag', 'devices.pool', 'devices.status', 'devices.owner_id', 'devices.site_id'])
    .select((eb) => [
      eb
        .exists(eb.selectFrom('loans').select('loans.id').whereRef('loans.device_id', '=', 'devices.id').where(isOpenLoan()))
        .as('on_loan'),
      eb
        .selectFrom('compartments')
        .select('compartments.number')
        .whereRef('compartments.device_id', '=', 'devices.id')
        .limit(1)
        .as('compartment_number'),
      eb
        .selectFrom('repair_tickets')
        .select('repair_tickets.id')
        .whereRef('repair_tickets.device_id', '=', 'devices.id')
        .where('repair_tickets.status', '=', 'repaired')
        .limit(1)
        .as('repaired_ticket_id'),
    ])
    .where('devices.district_id', '=', districtId)
    .where((eb) => eb(eb.fn('upper', ['devices.asset_tag']), '=', assetTag.trim().toUpperCase()))
    .limit(1)
    .executeTakeFirst();
}

/**
 * A station's doors as a technician picks one at the kiosk: each door's
 * recorded status and device (its asset tag and status, whether a repaired
 * device waits behind it for its owner), and whether a visit holds it.
 */
export async function technicianDoors(db: Executor, stationId: string) {
  const rows = await db
    .selectFrom('compartments')
    .leftJoin('devices', 'devices.id', 'compartments.device_id')
    .select([
      'compartments.id',
      'compartments.number',
      'compartments.status',
      'compartments.presence',
      'compartments.transaction_id',
      'compartments.device_id',
      'devices.asset_tag',
      'devices.status as device_status',
    ])
    .where('compartments.station_id', '=', stationId)
    .orderBy('compartments.number')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    status: r.status,
    presence: Number(r.presence) === 1,
    held: r.transaction_id !== null || r.status === 'reserved' || r.status === 'open',
    device: r.device_id ? { id: r.device_id, assetTag: r.asset_tag ?? null, status: r.device_status ?? null } : null,
  }));
}
