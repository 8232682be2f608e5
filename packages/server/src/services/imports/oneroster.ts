import {
  normaliseGrade,
  parseBoolean,
  parseList,
  parseUserIds,
  problem,
  validateStudentNumber,
  type ImportProblem,
} from '@cubby/core';
import { csvRows, type CsvRow } from './csv-rows.js';
import { readManifest, type Manifest } from './oneroster-manifest.js';
import type { PackageSource } from './package-source.js';
import { emptyInput, type BadgeHasher, type BadgeOptions, type ReadOptions, type RosterInput } from './roster-input.js';

const studentRoles = new Set(['student']);
const staffRoles = new Set([
  'teacher',
  'administrator',
  'aide',
  'proctor',
  'counselor',
  'principal',
  'districtAdministrator',
  'siteAdministrator',
  'systemAdministrator',
]);
const contactRoles = new Set(['guardian', 'parent', 'relative']);

interface Guardian {
  givenName: string;
  familyName: string;
  email: string | null;
  phone: string | null;
  relationship: string;
}

/**
 * Reads a OneRoster 1.1 or 1.2 CSV package: orgs.csv's schools become
 * campuses, users.csv (with roles.csv in 1.2) students and staff, and
 * guardians/parents contacts of their students. Other files (classes,
 * enrollments, courses…) are not needed by a locker and are not read.
 */
export async function readOneRoster(source: PackageSource, options: ReadOptions): Promise<RosterInput> {
  const problems: ImportProblem[] = [];
  const manifest = await readManifest(source, problems);
  const usersMode = manifest?.files.get('users.csv') ?? 'absent';
  const input = emptyInput(source.name, usersMode === 'bulk' ? 'bulk' : 'delta');
  input.problems = problems;
  if (!manifest || problems.length) return input;
  await readOrgs(source, manifest, input);
  const roles = manifest.version === '1.2' ? await readRoles(source, manifest, input, options) : new Map<string, UserRole[]>();
  if (usersMode !== 'absent') await readUsers(source, manifest, input, roles, options);
  return input;
}

const text = (value: string | undefined) => (value ?? '').trim();
const orNull = (value: string | undefined) => text(value) || null;

/** A delta row needs a status; a bulk row leaves it blank (or says active). */
function rowStatus(
  row: CsvRow,
  file: string,
  mode: 'bulk' | 'delta',
  problems: ImportProblem[],
): 'active' | 'tobedeleted' | undefined {
  const status = text(row.values.status);
  if (status === 'tobedeleted') return 'tobedeleted';
  if (status === 'active' || (status === '' && mode === 'bulk')) return 'active';
  problems.push(
    problem(
      file,
      row.line,
      'status',
      status === '' ? 'a delta row needs a status (active or tobedeleted)' : `status '${status}' is not active or tobedeleted`,
    ),
  );
  return undefined;
}

async function readOrgs(source: PackageSource, manifest: Manifest, input: RosterInput): Promise<void> {
  const mode = manifest.files.get('orgs.csv');
  if (!mode || mode === 'absent') return;
  const parents = new Map<string, { type: string; parent: string | null }>();
  const seen = new Set<string>();
  for await (const row of csvRows(await source.open('orgs.csv'), 'orgs.csv', ['sourcedId', 'name', 'type'], input.problems)) {
    const id = text(row.values.sourcedId);
    if (seen.has(id)) {
      input.problems.push(problem('orgs.csv', row.line, 'sourcedId', `'${id}' appears twice`));
      continue;
    }
    seen.add(id);
    // A campus is never removed by a roster: its stations and history stay.
    if (rowStatus(row, 'orgs.csv', mode, input.problems) !== 'active') continue;
    const type = text(row.values.type);
    parents.set(id, { type, parent: orNull(row.values.parentSourcedId) });
    if (type === 'school') input.sites.push({ externalId: id, name: text(row.values.name) });
    if (type === 'district' && input.districtName === null) input.districtName = text(row.values.name);
  }
  // A department belongs to its school's campus; district and higher orgs to none.
  for (const [id, org] of parents) {
    if (org.type === 'school') input.orgCampus.set(id, id);
    else if (org.type === 'department' && org.parent && parents.get(org.parent)?.type === 'school')
      input.orgCampus.set(id, org.parent);
    else input.orgCampus.set(id, null);
  }
}

interface UserRole {
  role: string;
  orgId: string;
  primary: boolean;
}

async function readRoles(
  source: PackageSource,
  manifest: Manifest,
  input: RosterInput,
  options: ReadOptions,
): Promise<Map<string, UserRole[]>> {
  const roles = new Map<string, UserRole[]>();
  const mode = manifest.files.get('roles.csv');
  if (!mode || mode === 'absent') return roles;
  const required = ['sourcedId', 'userSourcedId', 'roleType', 'role', 'orgSourcedId'];
  for await (const row of csvRows(await source.open('roles.csv'), 'roles.csv', required, input.problems, options.progress)) {
    if (rowStatus(row, 'roles.csv', mode, input.problems) !== 'active') continue;
    const user = text(row.values.userSourcedId);
    const list = roles.get(user) ?? [];
    list.push({
      role: text(row.values.role),
      orgId: text(row.values.orgSourcedId),
      primary: text(row.values.roleType) === 'primary',
    });
    roles.set(user, list);
  }
  for (const list of roles.values()) list.sort((a, b) => Number(b.primary) - Number(a.primary));
  return roles;
}

async function readUsers(
  source: PackageSource,
  manifest: Manifest,
  input: RosterInput,
  roles: Map<string, UserRole[]>,
  options: ReadOptions,
): Promise<void> {
  const required =
    manifest.version === '1.1'
      ? ['sourcedId', 'role', 'orgSourcedIds', 'givenName', 'familyName']
      : ['sourcedId', 'givenName', 'familyName'];
  const guardians = new Map<string, Guardian>();
  const links: AgentLink[] = [];
  const ids = new Set<string>();
  for await (const row of csvRows(await source.open('users.csv'), 'users.csv', required, input.problems, options.progress)) {
    const at = (column: string | null, message: string) => input.problems.push(problem('users.csv', row.line, column, message));
    const id = text(row.values.sourcedId);
    if (id === '') {
      at('sourcedId', 'sourcedId is empty');
      continue;
    }
    ids.add(id);
    const status = rowStatus(row, 'users.csv', input.mode, input.problems);
    if (!status) continue;
    const own = roles.get(id) ?? [];
    const role = manifest.version === '1.1' ? text(row.values.role) : (own[0]?.role ?? '');
    const agents = parseList(row.values.agentSourcedIds ?? '');
    if (contactRoles.has(role)) {
      guardians.set(id, guardianOf(row.values, role));
      for (const student of agents) links.push({ student, agent: id, line: row.line, fromStudent: false });
      continue;
    }
    if (!studentRoles.has(role) && !staffRoles.has(role)) {
      const column = manifest.version === '1.1' ? 'role' : null;
      at(column, role === '' ? 'has no role (roles.csv)' : `role '${role}' is not a OneRoster role`);
      continue;
    }
    const enabled = text(row.values.enabledUser) === '' ? true : parseBoolean(text(row.values.enabledUser));
    if (enabled === undefined) at('enabledUser', `enabledUser '${text(row.values.enabledUser)}' is not true or false`);
    if (status === 'tobedeleted' || enabled === false) {
      input.removed.push(id);
      continue;
    }
    const kind = studentRoles.has(role) ? 'student' : 'staff';
    const person = readPerson(row, id, kind, own, manifest, options, options.hashBadge, at);
    if (!person) continue;
    input.people.push(person);
    if (person.role === 'student') {
      input.contactsCovered.add(id);
      for (const agent of agents) links.push({ student: id, agent, line: row.line, fromStudent: true });
    }
  }
  linkContacts(input, guardians, links, ids);
}

function guardianOf(v: Record<string, string>, role: string): Guardian {
  const phone = orNull(v.phone) ?? orNull(v.sms);
  return { givenName: text(v.givenName), familyName: text(v.familyName), email: orNull(v.email), phone, relationship: role };
}

interface AgentLink {
  student: string;
  agent: string;
  line: number;
  fromStudent: boolean;
}

/** A student's agents that are guardians become their contacts; in bulk, an agent must be in the file. */
function linkContacts(input: RosterInput, guardians: Map<string, Guardian>, links: AgentLink[], ids: Set<string>): void {
  for (const link of links) {
    const guardian = guardians.get(link.agent);
    if (guardian) input.contacts.push({ studentExternalId: link.student, externalId: link.agent, ...guardian });
    else if (link.fromStudent && input.mode === 'bulk' && !ids.has(link.agent))
      input.problems.push(problem('users.csv', link.line, 'agentSourcedIds', `'${link.agent}' is not in users.csv`));
  }
}

function readPerson(
  row: CsvRow,
  id: string,
  role: 'student' | 'staff',
  roles: UserRole[],
  manifest: Manifest,
  options: BadgeOptions,
  hashBadge: BadgeHasher,
  at: (column: string | null, message: string) => void,
): RosterInput['people'][number] | undefined {
  const v = row.values;
  const givenName = text(v.preferredGivenName) || text(v.givenName);
  const familyName = text(v.preferredFamilyName) || text(v.familyName);
  if (!givenName) at('givenName', 'givenName is empty');
  if (!familyName) at('familyName', 'familyName is empty');
  let grade: string | null = null;
  if (role === 'student')
    for (const raw of parseList(v.grades ?? '')) {
      const g = normaliseGrade(raw);
      if (g === undefined) at('grades', `grade '${raw}' is not a grade`);
      else grade ??= g;
    }
  let studentNumber: string | null = null;
  if (role === 'student' && text(v.identifier)) {
    try {
      studentNumber = validateStudentNumber(text(v.identifier));
    } catch {
      at('identifier', `identifier '${text(v.identifier)}' is not a student number (letters, digits and dashes, up to 32)`);
    }
  }
  const badge = badgeOf(v, options, at);
  let hashes = { badgeHash: null as string | null, offlineBadgeHash: null as string | null };
  if (badge !== null) {
    try {
      hashes = hashBadge(badge);
    } catch {
      // The badge itself is never repeated: a message may end up in a log.
      at(
        options.badgeColumn && !v.userIds?.includes(`{${options.badgeIdType}:`) ? options.badgeColumn : 'userIds',
        'the badge is not 4–32 digits or hex characters',
      );
    }
  }
  const orgIds =
    manifest.version === '1.1'
      ? parseList(v.orgSourcedIds ?? '')
      : [...roles.map((r) => r.orgId), ...parseList(v.primaryOrgSourcedId ?? '')];
  if (!givenName || !familyName) return undefined;
  return {
    externalId: id,
    role,
    givenName,
    familyName,
    studentNumber,
    grade,
    orgIds,
    ...hashes,
    source: { file: 'users.csv', line: row.line },
  };
}

function badgeOf(
  v: Record<string, string>,
  options: BadgeOptions,
  at: (column: string | null, message: string) => void,
): string | null {
  const pairs = parseUserIds(v.userIds ?? '');
  if (pairs === undefined) at('userIds', 'userIds is not a list of {type:id} pairs');
  const entry = pairs?.find(([type]) => type.toLowerCase() === options.badgeIdType.toLowerCase());
  if (entry && entry[1] !== '') return entry[1];
  if (options.badgeColumn) return text(v[options.badgeColumn]) || null;
  return null;
}
