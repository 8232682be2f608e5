import { DomainError, type TransactionSummary } from '@cubby/core';
import {
  deviceByAssetTag,
  parseJson,
  personRoleAndSite,
  setKioskTransactionDetail,
  technicianCounts,
  technicianDoors,
  type Executor,
} from '@cubby/db';
import type { TechnicianMenu } from '@cubby/protocol';
import type { Start, StepAt } from './act.js';

/**
 * What every technician act shares: who may use technician mode at a station,
 * the sign-in's technician menu, a device found by its scanned asset tag, and
 * the door-by-door tally a multi-door act ends with (the kiosk's summary).
 */

const technicianRoles: ReadonlySet<string> = new Set(['staff', 'technician', 'admin']);

/** A person's standing at a station's campus: a technician here, one of another campus, or not one at all. */
export function technicianStanding(person: { role: string; site_id: string | null }, siteId: string) {
  if (!technicianRoles.has(person.role)) return 'none' as const;
  // A person with no campus works district-wide.
  return person.site_id === null || person.site_id === siteId ? ('here' as const) : ('elsewhere' as const);
}

/**
 * Technician mode is for staff and technicians of this station's campus (a
 * person with no campus works district-wide). A student is `forbidden`; a
 * technician of another campus gets `not_technician_here`, which the kiosk explains.
 */
export async function assertTechnicianHere(s: Start): Promise<void> {
  const person = await personRoleAndSite(s.tx.db, s.personId);
  const standing = person ? technicianStanding(person, s.ctx.siteId) : 'none';
  if (standing === 'none') throw new DomainError('forbidden', 'Technician mode is for staff and technicians');
  if (standing === 'elsewhere') throw new DomainError('not_technician_here', 'You are not a technician of this campus');
}

/** The sign-in's technician section: the menu's counts for a technician here, or why there is none. */
export async function technicianSignIn(
  db: Executor,
  person: { role: string; site_id: string | null },
  where: { stationId: string; siteId: string; districtId: string },
): Promise<{ technician?: TechnicianMenu; technicianRefused?: 'not_technician_here' }> {
  const standing = technicianStanding(person, where.siteId);
  if (standing === 'none') return {};
  if (standing === 'elsewhere') return { technicianRefused: 'not_technician_here' };
  const doors = await technicianDoors(db, where.stationId);
  return {
    technician: {
      ...(await technicianCounts(db, where)),
      outOfServiceDoors: doors.filter((d) => d.status === 'out_of_service').map((d) => d.number),
      busyDoors: doors.filter((d) => d.held).map((d) => d.number),
    },
  };
}

/** The district's device a technician scanned or typed: `unknown_asset_tag` when there is none. */
export async function scannedDevice(s: Start, assetTag: string) {
  const device = await deviceByAssetTag(s.tx.db, s.ctx.districtId, assetTag);
  if (!device) throw new DomainError('unknown_asset_tag', `No device of this district has asset tag ${assetTag.trim()}`);
  return device;
}

/** The running tally of a multi-door technician act, kept in its transaction's detail. */
export type Tally = TransactionSummary;

export function emptyTally(emptyDoors: number[] = []): Tally {
  return { collected: 0, emptyDoors, leftInside: [], jammedDoors: [] };
}

export function tallyOf(step: Pick<StepAt, 'txn'>): Tally {
  const detail = parseJson<{ tally?: Tally }>(step.txn.detail);
  return detail.tally ?? emptyTally();
}

/** Counts one door's end into the tally (a device out, one left inside, a jammed lock); returns the new tally. */
export async function countDoor(step: StepAt, how: 'collected' | 'leftInside' | 'jammedDoors'): Promise<Tally> {
  const detail = parseJson<Record<string, unknown>>(step.txn.detail);
  const tally = tallyOf(step);
  const next: Tally =
    how === 'collected' ? { ...tally, collected: tally.collected + 1 } : { ...tally, [how]: [...tally[how], step.door.number] };
  const updated = { ...detail, tally: next };
  await setKioskTransactionDetail(step.tx.db, step.txn.id, updated);
  // Later doors of this request read the step again from the row; this one carries on with the new detail.
  step.txn.detail = JSON.stringify(updated);
  return next;
}
