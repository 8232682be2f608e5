import { devicePlanner, problem, type DevicesPlan, type ImportProblem, type KnownDevice } from '@cubby/core';
import { devicesForImport, newId, sitesForImport, studentNumbersForImport, writeImportedDevices, type Executor } from '@cubby/db';
import { campusResolver } from './campus-resolver.js';
import { UnreadableFile } from './csv-rows.js';
import type { DeviceRow } from './devices-csv.js';

/** A device file not yet read: its rows stream (`rows()` opens it) and their own problems collect in `problems`. */
export interface DeviceFile {
  rows: () => AsyncIterable<DeviceRow>;
  problems: ImportProblem[];
}

export interface DeviceImportPlan {
  plan: DevicesPlan;
  /** The devices the plan changes, as they were read (the apply writes whole rows). */
  current: Map<string, KnownDevice>;
  problems: ImportProblem[];
}

/**
 * What a device file would do: campus by name or sourcedId, owner by student
 * number, each read once; then the file is read row by row straight into
 * core's planner, so only the plan's own rows are held, never the file's.
 * An unreadable file (broken quoting, not UTF-8) plans nothing.
 */
export async function planDeviceImport(db: Executor, districtId: string, file: DeviceFile): Promise<DeviceImportPlan> {
  const [known, sites, owners] = await Promise.all([
    devicesForImport(db, districtId),
    sitesForImport(db, districtId),
    studentNumbersForImport(db, districtId),
  ]);
  const resolveProblems: ImportProblem[] = [];
  const campusOf = campusResolver({ orgCampus: new Map() }, new Map(), sites);
  let planner = devicePlanner(known, newId);
  let unreadable: ImportProblem | undefined;
  try {
    for await (const { campus, ownerStudentNumber, ...row } of file.rows()) {
      const ownerId = ownerStudentNumber === null ? null : (owners.get(ownerStudentNumber) ?? null);
      if (ownerStudentNumber !== null && ownerId === null)
        resolveProblems.push(
          problem(
            row.source.file,
            row.source.line,
            'owner_student_number',
            `no student has the student number '${ownerStudentNumber}'`,
          ),
        );
      const siteId = campus === null ? null : campusOf([campus], row.source, 'campus', resolveProblems);
      planner.add({ ...row, ownerId, siteId });
    }
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    unreadable = error.problem;
    planner = devicePlanner(known, newId);
  }
  const plan = planner.finish();
  const updated = new Set(plan.update.map((u) => u.id));
  const current = new Map<string, KnownDevice>();
  for (const d of known) if (updated.has(d.id)) current.set(d.id, d);
  const problems = unreadable ? [unreadable] : [...file.problems, ...resolveProblems, ...plan.problems];
  return { plan, current, problems };
}

/** Reads a device file through for its own problems only (there is no district to plan against yet). */
export async function deviceFileProblems(file: DeviceFile): Promise<ImportProblem[]> {
  try {
    for await (const _row of file.rows());
  } catch (error) {
    if (!(error instanceof UnreadableFile)) throw error;
    return [error.problem];
  }
  return file.problems;
}

export async function writeDevicePlan(
  db: Executor,
  districtId: string,
  { plan, current }: DeviceImportPlan,
  now: number,
): Promise<void> {
  await writeImportedDevices(db, {
    districtId,
    now,
    // Each row is written column by column (its `source` is not among them): no copy of 150,000 rows.
    create: plan.create,
    update: plan.update.map((u) => {
      const { status: _status, ...was } = current.get(u.id)!;
      return { ...was, ...u.fields };
    }),
  });
}

export function deviceCounts({ plan }: DeviceImportPlan) {
  return { devices: { created: plan.create.length, updated: plan.update.length, deactivated: 0, unchanged: plan.unchanged } };
}
