import type { Progress } from './csv-rows.js';
import type { ImportProblem, RosterContact, RosterPerson, RosterSite } from '@cubby/core';

/** A person row as read, before their campus is resolved against the district's campuses. */
export interface PersonRow extends Omit<RosterPerson, 'siteId'> {
  /** The orgs the row names, in the order it prefers them (OneRoster), or a campus name or id (plain CSV). */
  orgIds: string[];
}

/** A guardian link as read: the student by their sourcedId. */
export type ContactRow = Omit<RosterContact, 'personId'> & { studentExternalId: string };

/** What a roster file says, read whole but not yet compared with what Cubby holds. */
export interface RosterInput {
  fileName: string;
  /** The district org's name (orgs.csv), when the district does not exist yet. */
  districtName: string | null;
  sites: RosterSite[];
  /** Org sourcedId → the campus (school sourcedId) it belongs to; null: district-level (no campus). */
  orgCampus: Map<string, string | null>;
  people: PersonRow[];
  /** bulk: people missing from the file are deactivated; delta: only `removed` are. */
  mode: 'bulk' | 'delta';
  removed: string[];
  contacts: ContactRow[];
  /** Students whose guardians the file lists in full (their other contacts are removed). */
  contactsCovered: Set<string>;
  problems: ImportProblem[];
}

/** Turns a raw badge into the hashes stored (the server's keys); never logged, never kept. */
export type BadgeHasher = (raw: string) => { badgeHash: string; offlineBadgeHash: string };

export interface BadgeOptions {
  /** The `userIds` type that carries the badge number, e.g. `badge` for `{badge:0012345678}`. */
  badgeIdType: string;
  /** A users.csv column to take the badge from when no `userIds` entry has it (e.g. `metadata.badge`). */
  badgeColumn: string | null;
}

export const defaultBadgeOptions: BadgeOptions = { badgeIdType: 'badge', badgeColumn: null };

/** How to read a roster: where its badges are, and whom to tell how far it got. */
export interface ReadOptions extends BadgeOptions {
  hashBadge: BadgeHasher;
  progress?: Progress;
}

export function emptyInput(fileName: string, mode: RosterInput['mode']): RosterInput {
  return {
    fileName,
    districtName: null,
    sites: [],
    orgCampus: new Map(),
    people: [],
    mode,
    removed: [],
    contacts: [],
    contactsCovered: new Set(),
    problems: [],
  };
}
