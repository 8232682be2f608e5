import { canSeeSite, DomainError, type Principal } from '@cubby/core';
import { findDeviceProfile, findFirstDistrict, findPersonRecord, findSite, isDeviceVisible, type Tx } from '@cubby/db';

/**
 * The records a dashboard user may touch: of this install's district, and for
 * campus-limited staff of their campuses. Anything else answers not_found,
 * the same as nothing at all, so a forged id learns nothing.
 */
export async function theDistrictId(tx: Pick<Tx, 'db'>): Promise<string> {
  const district = await findFirstDistrict(tx.db);
  if (!district) throw new DomainError('not_found', 'No district is set up yet');
  return district.id;
}

export async function personFor(tx: Pick<Tx, 'db'>, principal: Principal, personId: string) {
  const [person, districtId] = await Promise.all([findPersonRecord(tx.db, personId), theDistrictId(tx)]);
  if (!person || person.districtId !== districtId || !canSeeSite(principal, person.siteId))
    throw new DomainError('not_found', 'No such person');
  return person;
}

export async function deviceFor(tx: Pick<Tx, 'db'>, principal: Principal, deviceId: string) {
  const [device, districtId, visible] = await Promise.all([
    findDeviceProfile(tx.db, deviceId),
    theDistrictId(tx),
    isDeviceVisible(tx.db, deviceId, principal.siteIds),
  ]);
  if (!device || device.districtId !== districtId || !visible) throw new DomainError('not_found', 'No such device');
  return device;
}

/** A campus the caller may put someone or something at: of the district and within their campuses. */
export async function campusFor(tx: Pick<Tx, 'db'>, principal: Principal, siteId: string) {
  const [site, districtId] = await Promise.all([findSite(tx.db, siteId), theDistrictId(tx)]);
  if (!site || site.district_id !== districtId || !canSeeSite(principal, siteId))
    throw new DomainError('bad_request', 'That campus is not one of yours', { reason: 'unknown_campus' });
  return site;
}

/** Who did it, as every settings change records it (names of staff, never of the student acted on). */
export const byWhom = (p: Principal) => ({ kind: p.kind, name: p.name });
