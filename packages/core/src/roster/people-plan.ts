import type { PersonRole } from '../person.js';
import { problem, type ImportProblem } from './problems.js';

/** A person as a roster file states them, campus and badge already resolved. */
export interface RosterPerson {
  externalId: string;
  role: 'student' | 'staff';
  givenName: string;
  familyName: string;
  studentNumber: string | null;
  grade: string | null;
  siteId: string | null;
  /** Keyed hashes of the roster's badge; null: the roster gives none (a badge on record is kept). */
  badgeHash: string | null;
  offlineBadgeHash: string | null;
  /** Where the row is, for a problem about it. */
  source: { file: string; line: number };
}

/** A person Cubby already holds (erased people are never matched: their identity is gone). */
export interface KnownPerson {
  id: string;
  externalId: string | null;
  role: PersonRole;
  givenName: string;
  familyName: string;
  studentNumber: string | null;
  grade: string | null;
  siteId: string | null;
  badgeHash: string | null;
  offlineBadgeHash: string | null;
  active: boolean;
}

/** The columns an import may change; everything else (PIN, agreement, loans, history) is never touched. */
export type PersonFields = Partial<
  Pick<
    KnownPerson,
    'role' | 'givenName' | 'familyName' | 'studentNumber' | 'grade' | 'siteId' | 'badgeHash' | 'offlineBadgeHash' | 'active'
  >
>;

export interface PeoplePlan {
  create: (RosterPerson & { id: string })[];
  update: { id: string; externalId: string; fields: PersonFields; source: { file: string; line: number } }[];
  deactivate: string[];
  unchanged: number;
  /** Person ids by external id, for contacts and devices of this import. */
  idsByExternalId: Map<string, string>;
  problems: ImportProblem[];
}

export interface PeopleInput {
  known: readonly KnownPerson[];
  incoming: readonly RosterPerson[];
  /** bulk: active people with an external id missing from the file are deactivated. */
  mode: 'bulk' | 'delta';
  /** External ids a delta marks `tobedeleted`. */
  removed?: readonly string[];
  newId: () => string;
}

const compared = ['role', 'givenName', 'familyName', 'studentNumber', 'grade', 'siteId'] as const;

/** The people of a file planned row by row (see `planPeople`): only the plan's own rows are held. */
export interface PeoplePlanner {
  /** Plans one row (in file order). */
  add(row: RosterPerson): void;
  /** The plan, once every row is in: who is deactivated, and who would share a badge or a student number. */
  finish(): PeoplePlan;
}

export function peoplePlanner(input: Omit<PeopleInput, 'incoming'>): PeoplePlanner {
  const byExternal = new Map<string, KnownPerson>();
  for (const p of input.known) if (p.externalId !== null) byExternal.set(p.externalId, p);
  const plan: PeoplePlan = { create: [], update: [], deactivate: [], unchanged: 0, idsByExternalId: new Map(), problems: [] };
  const seen = new Set<string>();
  const add = (row: RosterPerson) => {
    if (seen.has(row.externalId)) {
      plan.problems.push(problem(row.source.file, row.source.line, 'sourcedId', `'${row.externalId}' appears twice`));
      return;
    }
    seen.add(row.externalId);
    const known = byExternal.get(row.externalId);
    if (!known) {
      const id = input.newId();
      plan.create.push({ ...row, id });
      plan.idsByExternalId.set(row.externalId, id);
      return;
    }
    plan.idsByExternalId.set(row.externalId, known.id);
    const fields = changedFields(known, row);
    if (Object.keys(fields).length) plan.update.push({ id: known.id, externalId: row.externalId, fields, source: row.source });
    else plan.unchanged++;
  };
  const finish = () => {
    const removed = new Set(input.removed ?? []);
    for (const p of byExternal.values()) {
      const gone = input.mode === 'bulk' ? !seen.has(p.externalId!) : removed.has(p.externalId!);
      if (gone && p.active) plan.deactivate.push(p.id);
    }
    plan.problems.push(...uniquenessProblems(input.known, plan));
    return plan;
  };
  return { add, finish };
}

/**
 * What an import would do to the people: pure, so a dry run and the apply
 * decide alike and "apply, then plan again" can be shown to change nothing.
 * Badges and student numbers must stay unique across everyone who keeps one.
 */
export function planPeople(input: PeopleInput): PeoplePlan {
  const planner = peoplePlanner(input);
  for (const row of input.incoming) planner.add(row);
  return planner.finish();
}

function changedFields(known: KnownPerson, row: RosterPerson): PersonFields {
  const fields: PersonFields = {};
  for (const key of compared) if (known[key] !== row[key]) (fields as Record<string, unknown>)[key] = row[key];
  // A roster knows staff, not who Cubby made a technician or an admin: those roles stay.
  if (row.role === 'staff' && (known.role === 'technician' || known.role === 'admin')) delete fields.role;
  // A roster without a badge for someone leaves the one on record alone.
  if (row.badgeHash !== null && row.badgeHash !== known.badgeHash) {
    fields.badgeHash = row.badgeHash;
    fields.offlineBadgeHash = row.offlineBadgeHash;
  }
  if (!known.active) fields.active = true;
  return fields;
}

/** Two people with one badge or one student number, after the plan: the file's rows, or a row and someone kept. */
function uniquenessProblems(known: readonly KnownPerson[], plan: PeoplePlan): ImportProblem[] {
  const out: ImportProblem[] = [];
  const updates = new Map(plan.update.map((u) => [u.id, u]));
  let created: Map<string, RosterPerson> | undefined;
  // Only asked about a clash: a whole roster's rows are not indexed for the rare file that has one.
  const sourceOf = (id: string) =>
    updates.get(id)?.source ?? (created ??= new Map(plan.create.map((c) => [c.id, c]))).get(id)?.source;
  const check = (column: 'badgeHash' | 'studentNumber', label: string, columnName: string) => {
    const owner = new Map<string, string>();
    const see = (id: string, value: string | null) => {
      if (value === null) return;
      const first = owner.get(value);
      if (first === undefined) owner.set(value, id);
      else {
        const where = sourceOf(id) ?? sourceOf(first);
        const what = column === 'studentNumber' ? `${label} '${value}'` : label;
        out.push(problem(where?.file ?? 'users.csv', where?.line ?? null, columnName, `${what} belongs to two people`));
      }
    };
    // Everyone as they are after the plan: the people kept (changed or not), then the new ones.
    for (const p of known) {
      const changed = updates.get(p.id)?.fields[column];
      see(p.id, changed !== undefined ? changed : p[column]);
    }
    for (const c of plan.create) see(c.id, c[column]);
  };
  check('badgeHash', 'one badge', 'badge');
  check('studentNumber', 'student number', 'identifier');
  return out;
}
