import {
  planContacts,
  peoplePlanner,
  planSites,
  type ContactsPlan,
  type ImportProblem,
  type PeoplePlan,
  type RosterContact,
  type SitesPlan,
} from '@cubby/core';
import { contactsForImport, newId, peopleForImport, sitesForImport, type Executor } from '@cubby/db';
import { campusResolver } from './campus-resolver.js';
import type { RosterInput } from './roster-input.js';

export interface RosterPlan {
  sites: SitesPlan;
  people: PeoplePlan;
  contacts: ContactsPlan;
  /** The people the plan updates, as they were read, by id (the apply writes whole rows). */
  known: Map<string, Awaited<ReturnType<typeof peopleForImport>>[number]>;
  problems: ImportProblem[];
}

/**
 * What a roster file would do to the district, decided by core from the
 * rows Cubby holds, read once into maps (one query per table, whatever the
 * district's size).
 */
export async function planRoster(db: Executor, districtId: string | null, input: RosterInput): Promise<RosterPlan> {
  const [knownSites, knownPeople, knownContacts] = districtId
    ? await Promise.all([sitesForImport(db, districtId), peopleForImport(db, districtId), contactsForImport(db, districtId)])
    : [[], [], []];
  const problems = [...input.problems];
  const sites = planSites(knownSites, input.sites, newId);
  const campusOf = campusResolver(input, sites.idsByExternalId, knownSites);
  const planner = peoplePlanner({ known: knownPeople, mode: input.mode, removed: input.removed, newId });
  // Each row as read is let go once planned (taken from the end of the reversed list, so in
  // file order): the file is not held twice, only the plan's own rows.
  input.people.reverse();
  for (let read = input.people.pop(); read; read = input.people.pop()) {
    const { orgIds, ...row } = read;
    const column = row.source.file === 'users.csv' ? 'orgSourcedIds' : 'campus';
    planner.add({ ...row, siteId: campusOf(orgIds, row.source, column, problems) });
  }
  const people = planner.finish();
  problems.push(...people.problems);
  const knownByExternal = new Map<string, string>();
  if (input.contacts.length) for (const p of knownPeople) if (p.externalId !== null) knownByExternal.set(p.externalId, p.id);
  const contactRows: RosterContact[] = [];
  for (const { studentExternalId, ...contact } of input.contacts) {
    const personId = people.idsByExternalId.get(studentExternalId) ?? knownByExternal.get(studentExternalId);
    if (personId) contactRows.push({ ...contact, personId });
  }
  const covered = new Set(
    [...input.contactsCovered].map((e) => people.idsByExternalId.get(e)).filter((id): id is string => !!id),
  );
  const contacts = planContacts(knownContacts, contactRows, covered, newId);
  // Only the people the plan changes are kept whole for the apply, not the whole district.
  const updated = new Set(people.update.map((u) => u.id));
  const known = new Map<string, (typeof knownPeople)[number]>();
  for (const p of knownPeople) if (updated.has(p.id)) known.set(p.id, p);
  return { sites, people, contacts, known, problems };
}

export function rosterCounts(plan: RosterPlan) {
  return {
    campuses: {
      created: plan.sites.create.length,
      updated: plan.sites.update.length,
      deactivated: 0,
      unchanged: plan.sites.unchanged,
    },
    people: {
      created: plan.people.create.length,
      updated: plan.people.update.length,
      deactivated: plan.people.deactivate.length,
      unchanged: plan.people.unchanged,
    },
    contacts: {
      created: plan.contacts.create.length,
      updated: plan.contacts.update.length,
      deactivated: plan.contacts.remove.length,
      unchanged: plan.contacts.unchanged,
    },
  };
}
