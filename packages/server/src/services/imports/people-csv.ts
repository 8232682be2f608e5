import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { normaliseGrade, problem, validateStudentNumber } from '@cubby/core';
import { csvRows } from './csv-rows.js';
import { emptyInput, type ReadOptions, type RosterInput } from './roster-input.js';

/** The plain people CSV's columns (docs/importing.md#people-csv); the first four are required. */
export const peopleColumns = [
  'id',
  'role',
  'given_name',
  'family_name',
  'student_number',
  'grade',
  'campus',
  'badge',
  'status',
] as const;

/**
 * A plain CSV for districts without OneRoster: one row per student or staff
 * member, keyed by the district's own `id`. It changes only the people it
 * lists (status `inactive` deactivates); nobody missing from it is touched.
 */
export async function readPeopleCsv(
  input: Readable,
  fileName: string,
  options: Pick<ReadOptions, 'hashBadge' | 'progress'>,
): Promise<RosterInput> {
  const { hashBadge } = options;
  const file = basename(fileName);
  const out = emptyInput(file, 'delta');
  for await (const row of csvRows(input, file, ['id', 'role', 'given_name', 'family_name'], out.problems, options.progress)) {
    const v = row.values;
    const at = (column: string, message: string) => out.problems.push(problem(file, row.line, column, message));
    const cell = (name: string) => (v[name] ?? '').trim();
    const id = cell('id');
    if (!id) {
      at('id', 'id is empty');
      continue;
    }
    const status = cell('status') || 'active';
    if (status !== 'active' && status !== 'inactive') at('status', `status '${status}' is not active or inactive`);
    if (status === 'inactive') {
      out.removed.push(id);
      continue;
    }
    const role = cell('role');
    if (role !== 'student' && role !== 'staff') {
      at('role', `role '${role}' is not student or staff`);
      continue;
    }
    if (!cell('given_name')) at('given_name', 'given_name is empty');
    if (!cell('family_name')) at('family_name', 'family_name is empty');
    const grade = cell('grade') ? (normaliseGrade(cell('grade')) ?? null) : null;
    if (cell('grade') && grade === null) at('grade', `grade '${cell('grade')}' is not a grade`);
    let studentNumber: string | null = null;
    try {
      studentNumber = cell('student_number') ? validateStudentNumber(cell('student_number')) : null;
    } catch {
      at('student_number', `student number '${cell('student_number')}' is not letters, digits and dashes (up to 32)`);
    }
    let hashes = { badgeHash: null as string | null, offlineBadgeHash: null as string | null };
    try {
      if (cell('badge')) hashes = hashBadge(cell('badge'));
    } catch {
      at('badge', 'the badge is not 4–32 digits or hex characters');
    }
    out.people.push({
      externalId: id,
      role,
      givenName: cell('given_name'),
      familyName: cell('family_name'),
      studentNumber,
      grade: role === 'student' ? grade : null,
      orgIds: cell('campus') ? [cell('campus')] : [],
      ...hashes,
      source: { file, line: row.line },
    });
  }
  return out;
}
