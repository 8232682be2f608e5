import {
  planContacts,
  planPeople,
  planSites,
  type ContactsPlan,
  type ImportProblem,
  type PeoplePlan,
  type RosterContact,
  type RosterPerson,
  type SitesPlan,
} from '@cubby/core';
import { contactsForImport, newId, peopleForImport, sitesForImport, type Executor } from '@cubby/db';
import { campusResolver } from './campus-resolver.js';
import type { RosterInput } from './roster-input.js';

export interface RosterPlan {
  sites: SitesPlan;
  people: PeoplePlan;
  contacts: ContactsPlan;
  /** Who the people plan compared against, by id (the apply writes whole rows). */
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
  const incoming: RosterPerson[] = [];
  for (const { orgIds, ...row } of input.people) {
    const column = row.source.file === 'users.csv' ? 'orgSourcedIds' : 'campus';
    incoming.push({ ...row, siteId: campusOf(orgIds, row.source, column, problems) });
  }
  // The rows as read are done with once resolved: the file is not held twice.
  input.people.length = 0;
  const people = planPeople({ known: knownPeople, incoming, mode: input.mode, removed: input.removed, newId });
  problems.push(...people.problems);
  const knownByExternal = new Map(knownPeople.filter((p) => p.externalId !== null).map((p) => [p.externalId!, p.id]));
  const contactRows: RosterContact[] = [];
  for (const { studentExternalId, ...contact } of input.contacts) {
    const personId = people.idsByExternalId.get(studentExternalId) ?? knownByExternal.get(studentExternalId);
    if (personId) contactRows.push({ ...contact, personId });
  }
  const covered = new Set(
    [...input.contactsCovered].map((e) => people.idsByExternalId.get(e)).filter((id): id is string => !!id),
  );
  const contacts = planContacts(knownContacts, contactRows, covered, newId);
  return { sites, people, contacts, known: new Map(knownPeople.map((p) => [p.id, p])), problems };
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
