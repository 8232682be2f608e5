import { DomainError, type Principal } from '@cubby/core';
import {
  districtSettings,
  findFirstDistrict,
  inTransaction,
  peopleDueForErasure,
  saveDistrictSettings,
  type CubbyDb,
} from '@cubby/db';
import type { RetentionPolicy } from '@cubby/protocol/api';
import type { Logger } from 'pino';
import { erasePerson } from './erase.js';

/**
 * The district's retention setting (docs/privacy.md): erase people who
 * left the roster and have not used Cubby for N years. Off by default.
 */
const yearMs = 365.25 * 24 * 60 * 60 * 1000;

export function parseRetention(value: unknown): RetentionPolicy {
  const years = (value as Partial<RetentionPolicy> | undefined)?.eraseInactiveAfterYears;
  return { eraseInactiveAfterYears: Number.isInteger(years) && years! >= 1 && years! <= 50 ? years! : null };
}

export async function retentionPolicy(cubby: CubbyDb): Promise<RetentionPolicy> {
  const district = await findFirstDistrict(cubby.db);
  return parseRetention(district && districtSettings(district).retention);
}

export async function changeRetentionPolicy(
  cubby: CubbyDb,
  principal: Principal,
  input: RetentionPolicy,
): Promise<RetentionPolicy> {
  const policy = parseRetention(input);
  return inTransaction(cubby, async (tx) => {
    const district = await findFirstDistrict(tx.db);
    if (!district) throw new DomainError('not_found', 'No district yet');
    const settings = districtSettings(district);
    const before = parseRetention(settings.retention);
    await saveDistrictSettings(tx.db, district.id, { ...settings, retention: policy });
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'retention.updated',
      entityType: 'district',
      entityId: district.id,
      data: { from: before, to: policy },
    });
    return policy;
  });
}

/**
 * One pass of the retention job: erases, one transaction each, everyone due
 * at `now`. Returns how many it erased. Someone whose erasure is refused
 * (a loaner still out) is left for a later pass and logged by id.
 */
export async function eraseInactivePeople(cubby: CubbyDb, log: Logger, now: number): Promise<number> {
  const district = await findFirstDistrict(cubby.db);
  const { eraseInactiveAfterYears: years } = parseRetention(district && districtSettings(district).retention);
  if (!district || years === null) return 0;
  const cutoff = now - years * yearMs;
  let erased = 0;
  const refused = new Set<string>();
  for (;;) {
    const due = (await peopleDueForErasure(cubby.db, district.id, cutoff, 100 + refused.size)).filter((id) => !refused.has(id));
    if (due.length === 0) return erased;
    for (const personId of due) {
      try {
        await erasePerson(cubby, 'retention', personId, null, now);
        erased += 1;
      } catch (error) {
        refused.add(personId);
        log.warn({ personId, code: (error as DomainError).code }, 'retention could not erase a person');
      }
    }
  }
}
