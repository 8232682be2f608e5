import { writeImportedContacts, writeImportedPeople, writeImportedSites, type Executor, type ImportedPerson } from '@cubby/db';
import type { RosterPlan } from './roster-plan.js';

export interface CampusDefaults {
  /** New campuses' time zone and end of school day (each can be changed on the campus's settings page). */
  timeZone: string;
  schoolDayEnd: string;
}

/**
 * Writes a roster plan: campuses, then people (whole roster columns, so a
 * changed row never loses its badge, PIN, loans or history: those columns are
 * not written at all, or kept from the row read), then contacts.
 */
export async function writeRosterPlan(
  db: Executor,
  districtId: string,
  plan: RosterPlan,
  campuses: CampusDefaults,
  now: number,
): Promise<void> {
  await writeImportedSites(db, { districtId, now, ...campuses, create: plan.sites.create, update: plan.sites.update });
  const update: ImportedPerson[] = [];
  const freeCredentials: string[] = [];
  for (const u of plan.people.update) {
    const known = plan.known.get(u.id)!;
    // Whole rows: what the roster does not change is written back as it was read.
    update.push({ ...known, ...u.fields, externalId: u.externalId });
    if (u.fields.badgeHash !== undefined || u.fields.studentNumber !== undefined) freeCredentials.push(u.id);
  }
  await writeImportedPeople(db, {
    districtId,
    now,
    create: plan.people.create,
    update,
    freeCredentials,
    deactivate: plan.people.deactivate,
  });
  await writeImportedContacts(db, { now, ...plan.contacts });
}
