import { planDevices, problem, type DevicesPlan, type ImportProblem, type RosterDevice } from '@cubby/core';
import { devicesForImport, newId, sitesForImport, studentNumbersForImport, writeImportedDevices, type Executor } from '@cubby/db';
import { campusResolver } from './campus-resolver.js';
import type { DeviceRow } from './devices-csv.js';

export interface DeviceImportPlan {
  plan: DevicesPlan;
  known: Map<string, Awaited<ReturnType<typeof devicesForImport>>[number]>;
  problems: ImportProblem[];
}

/**
 * What a device file would do: campus by name or sourcedId, owner by student
 * number, each read once. The rows as read are emptied as they are resolved
 * (the plan keeps what it needs), so the file is not held twice.
 */
export async function planDeviceImport(
  db: Executor,
  districtId: string,
  rows: DeviceRow[],
  readProblems: ImportProblem[],
): Promise<DeviceImportPlan> {
  const [known, sites, owners] = await Promise.all([
    devicesForImport(db, districtId),
    sitesForImport(db, districtId),
    studentNumbersForImport(db, districtId),
  ]);
  const problems = [...readProblems];
  const campusOf = campusResolver({ orgCampus: new Map() }, new Map(), sites);
  const incoming: RosterDevice[] = new Array<RosterDevice>(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const { campus, ownerStudentNumber, ...row } = rows[i]!;
    const ownerId = ownerStudentNumber === null ? null : (owners.get(ownerStudentNumber) ?? null);
    if (ownerStudentNumber !== null && ownerId === null)
      problems.push(
        problem(
          row.source.file,
          row.source.line,
          'owner_student_number',
          `no student has the student number '${ownerStudentNumber}'`,
        ),
      );
    incoming[i] = { ...row, ownerId, siteId: campus === null ? null : campusOf([campus], row.source, 'campus', problems) };
  }
  rows.length = 0;
  const plan = planDevices(known, incoming, newId);
  problems.push(...plan.problems);
  return { plan, known: new Map(known.map((d) => [d.id, d])), problems };
}

export async function writeDevicePlan(
  db: Executor,
  districtId: string,
  { plan, known }: DeviceImportPlan,
  now: number,
): Promise<void> {
  await writeImportedDevices(db, {
    districtId,
    now,
    // Each row is written column by column (its `source` is not among them): no copy of 150,000 rows.
    create: plan.create,
    update: plan.update.map((u) => {
      const { status: _status, ...current } = known.get(u.id)!;
      return { ...current, ...u.fields };
    }),
  });
}

export function deviceCounts({ plan }: DeviceImportPlan) {
  return { devices: { created: plan.create.length, updated: plan.update.length, deactivated: 0, unchanged: plan.unchanged } };
}
