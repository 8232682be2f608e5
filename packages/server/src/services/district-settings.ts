import { DomainError, type Principal } from '@cubby/core';
import { districtSettings, findFirstDistrict, saveDistrictSettings, type Tx } from '@cubby/db';

/**
 * Replaces one key of the district's settings (the loan policy, how charge
 * is estimated, …) inside `tx`, audited with what it was and what it became.
 * `parse` reads a stored value (with defaults for what was never set) and
 * refuses out-of-range input with bad_request.
 */
export async function replaceDistrictSetting<T>(
  tx: Tx,
  principal: Principal,
  change: { key: string; action: string; value: unknown; parse: (stored: unknown) => T },
): Promise<T> {
  const value = change.parse(change.value);
  const district = await findFirstDistrict(tx.db);
  if (!district) throw new DomainError('not_found', 'No district is set up yet');
  const settings = districtSettings(district);
  const before = change.parse(settings[change.key]);
  await saveDistrictSettings(tx.db, district.id, { ...settings, [change.key]: value });
  tx.audit({
    actorType: 'user',
    actorId: principal.id,
    action: change.action,
    entityType: 'district',
    entityId: district.id,
    data: { from: before, to: value, by: { kind: principal.kind, name: principal.name } },
  });
  return value;
}
