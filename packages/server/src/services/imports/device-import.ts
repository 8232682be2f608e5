import { planDevices, problem, type DevicesPlan, type ImportProblem, type RosterDevice } from '@cubby/core';
import { devicesForImport, newId, peopleForImport, sitesForImport, writeImportedDevices, type Executor } from '@cubby/db';
import { campusResolver } from './campus-resolver.js';
import type { DeviceRow } from './devices-csv.js';

export interface DeviceImportPlan {
  plan: DevicesPlan;
  known: Map<string, Awaited<ReturnType<typeof devicesForImport>>[number]>;
  problems: ImportProblem[];
}

/** What a device file would do: campus by name or sourcedId, owner by student number, each read once. */
export async function planDeviceImport(
  db: Executor,
  districtId: string,
  rows: DeviceRow[],
  readProblems: ImportProblem[],
): Promise<DeviceImportPlan> {
  const [known, sites, people] = await Promise.all([
    devicesForImport(db, districtId),
    sitesForImport(db, districtId),
    peopleForImport(db, districtId),
  ]);
  const problems = [...readProblems];
  const campusOf = campusResolver({ orgCampus: new Map() }, new Map(), sites);
  const owners = new Map(people.filter((p) => p.studentNumber !== null).map((p) => [p.studentNumber!, p.id]));
  const incoming: RosterDevice[] = rows.map(({ campus, ownerStudentNumber, ...row }) => {
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
    return { ...row, ownerId, siteId: campus === null ? null : campusOf([campus], row.source, 'campus', problems) };
  });
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
  const strip = <T extends { source?: unknown }>({ source: _s, ...rest }: T) => rest;
  await writeImportedDevices(db, {
    districtId,
    now,
    create: plan.create.map(strip),
    update: plan.update.map((u) => {
      const { status: _status, ...current } = known.get(u.id)!;
      return { ...current, ...u.fields };
    }),
  });
}

export function deviceCounts({ plan }: DeviceImportPlan) {
  return { devices: { created: plan.create.length, updated: plan.update.length, deactivated: 0, unchanged: plan.unchanged } };
}
