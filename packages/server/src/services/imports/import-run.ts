import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { DomainError, type ImportProblem } from '@cubby/core';
import {
  findFirstDistrict,
  inTransaction,
  insertDistrict,
  insertImportRun,
  markImportApplied,
  newId,
  sitesInScope,
  type CubbyDb,
  type Executor,
  type ImportCounts,
  type ImportRun,
} from '@cubby/db';
import type { Keys } from '../../secrets.js';
import { operatorActor, type Operator } from '../privacy/operator.js';
import { UnreadableFile, type Progress } from './csv-rows.js';
import { deviceCounts, deviceFileProblems, planDeviceImport, writeDevicePlan, type DeviceFile } from './device-import.js';
import { readDevicesCsv } from './devices-csv.js';
import { readOneRoster } from './oneroster.js';
import { openPackage, RefusedPackage } from './package-source.js';
import { readPeopleCsv } from './people-csv.js';
import { writeRosterPlan, type CampusDefaults } from './roster-apply.js';
import { emptyInput, defaultBadgeOptions, type BadgeOptions, type RosterInput } from './roster-input.js';
import { planRoster, rosterCounts } from './roster-plan.js';

export type ImportKind = ImportRun['kind'];

export interface ImportRequest {
  kind: ImportKind;
  /** A zip or folder (oneroster), or a CSV file. */
  path: string;
  /** The name the operator knows the file by (an upload's original name); the path's by default. */
  fileName?: string;
  operator: Exclude<Operator, 'retention'>;
  dryRun: boolean;
  badges?: Partial<BadgeOptions>;
  campuses?: Partial<CampusDefaults>;
  progress?: Progress;
  /** Records under this id (an upload's); a new one by default. */
  id?: string;
  /** Applies this previewed run (an upload's second step): it becomes applied, once. */
  appliesRun?: string;
}

type Read = { roster: RosterInput } | { devices: DeviceFile };

/**
 * Reads a roster whole (streamed, row by row) before anything is compared or
 * written. A device file is only opened here: its rows stream into the plan
 * (see planDeviceImport), since the district's devices are what each row is
 * compared with.
 */
async function readImport(keys: Keys, request: ImportRequest, fileName: string): Promise<Read> {
  const hashBadge = (raw: string) => ({ badgeHash: keys.badgeHash(raw), offlineBadgeHash: keys.offlineBadgeHash(raw) });
  try {
    if (request.kind === 'devices') {
      const problems: ImportProblem[] = [];
      const rows = () => readDevicesCsv(createReadStream(request.path), fileName, problems, request.progress);
      return { devices: { rows, problems } };
    }
    if (request.kind === 'people')
      return { roster: await readPeopleCsv(createReadStream(request.path), fileName, { hashBadge, progress: request.progress }) };
    const source = await openPackage(request.path);
    try {
      return {
        roster: await readOneRoster(source, { ...defaultBadgeOptions, ...request.badges, hashBadge, progress: request.progress }),
      };
    } finally {
      source.close();
    }
  } catch (error) {
    if (!(error instanceof UnreadableFile) && !(error instanceof RefusedPackage)) throw error;
    const problems = [error.problem];
    return { roster: { ...emptyInput(fileName, 'delta'), problems } };
  }
}

/** An import's outcome: what it did (or, as a dry run or refused, would do) and every problem. */
export type ImportOutcome = Pick<
  ImportRun,
  'id' | 'kind' | 'fileName' | 'status' | 'counts' | 'problems' | 'createdAt' | 'appliedAt'
>;

/**
 * Reads an import file, plans it against the district and, unless it is a
 * dry run or has problems, applies it in one transaction (all or nothing);
 * the plan is made again inside that transaction, from the rows as they are
 * then. Every run is recorded and audited, applied or not.
 */
export async function runImport(cubby: CubbyDb, keys: Keys, request: ImportRequest): Promise<ImportOutcome> {
  const fileName = request.fileName ?? basename(request.path);
  const read = await readImport(keys, request, fileName);
  return inTransaction(cubby, async (tx) => {
    let district = await findFirstDistrict(tx.db);
    const planned = await plan(tx.db, district?.id ?? null, read);
    const problems: ImportProblem[] = [...planned.problems];
    if (!district && !('roster' in read && read.roster.districtName) && problems.length === 0)
      problems.push({
        file: fileName,
        line: null,
        column: null,
        message: 'there is no district yet: import a OneRoster package whose orgs.csv has the district first',
      });
    const apply = !request.dryRun && problems.length === 0;
    if (apply && !district) {
      district = { id: newId(), name: (read as { roster: RosterInput }).roster.districtName!, settings: '{}' };
      await insertDistrict(tx.db, { id: district.id, name: district.name, now: tx.now });
    }
    if (apply) await planned.write(district!.id, await campusDefaults(tx.db, request.campuses), tx.now);
    const { via, ...actor } = operatorActor(request.operator);
    const id = apply && request.appliesRun ? request.appliesRun : (request.id ?? newId());
    const run: ImportRun = {
      id,
      districtId: district?.id ?? null,
      kind: request.kind,
      fileName,
      actorType: actor.actorType === 'user' ? 'user' : 'system',
      actorId: actor.actorId,
      status: apply ? 'applied' : problems.length ? 'refused' : 'previewed',
      counts: planned.counts,
      problems,
      createdAt: tx.now,
      appliedAt: apply ? tx.now : null,
    };
    if (!(apply && request.appliesRun)) await insertImportRun(tx.db, run);
    else if (!(await markImportApplied(tx.db, id, run.counts, tx.now)))
      throw new DomainError('conflict', 'This import was already applied', { reason: 'import_applied' });
    tx.audit({
      ...actor,
      action: apply ? 'import.applied' : 'import.previewed',
      entityType: 'import',
      entityId: id,
      data: { kind: request.kind, fileName, status: run.status, counts: run.counts, problems: problems.length, via },
    });
    return {
      id,
      kind: run.kind,
      fileName,
      status: run.status,
      counts: run.counts,
      problems,
      createdAt: run.createdAt,
      appliedAt: run.appliedAt,
    };
  });
}

async function plan(db: Executor, districtId: string | null, read: Read) {
  if ('devices' in read) {
    const devicePlan = districtId ? await planDeviceImport(db, districtId, read.devices) : undefined;
    return {
      problems: devicePlan?.problems ?? (await deviceFileProblems(read.devices)),
      counts: (devicePlan ? deviceCounts(devicePlan) : {}) as ImportCounts,
      write: (district: string, _c: CampusDefaults, now: number) => writeDevicePlan(db, district, devicePlan!, now),
    };
  }
  const rosterPlan = await planRoster(db, districtId, read.roster);
  return {
    problems: rosterPlan.problems,
    counts: rosterCounts(rosterPlan) as ImportCounts,
    write: (district: string, campuses: CampusDefaults, now: number) => writeRosterPlan(db, district, rosterPlan, campuses, now),
  };
}

/** New campuses take the first campus's time zone and end of day, unless told. */
async function campusDefaults(db: Executor, given: Partial<CampusDefaults> = {}): Promise<CampusDefaults> {
  const [first] = await sitesInScope(db, null);
  return {
    timeZone: given.timeZone ?? first?.timeZone ?? 'UTC',
    schoolDayEnd: given.schoolDayEnd ?? first?.schoolDayEnd ?? '15:30',
  };
}
