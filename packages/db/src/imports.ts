import { parseJson } from './json.js';
import type { ImportRunTable } from './schema.js';
import type { Executor } from './transaction.js';

/** What an import did or would do, per kind of record. */
export type ImportCounts = Record<string, { created: number; updated: number; deactivated: number; unchanged: number }>;

export interface ImportRun {
  id: string;
  districtId: string | null;
  kind: ImportRunTable['kind'];
  fileName: string;
  actorType: ImportRunTable['actor_type'];
  actorId: string | null;
  status: ImportRunTable['status'];
  counts: ImportCounts;
  problems: { file: string; line: number | null; column: string | null; message: string }[];
  createdAt: number;
  appliedAt: number | null;
}

/** A run keeps its first problems; a file with thousands of bad lines has the same few mistakes many times. */
export const keptProblems = 1000;

export async function insertImportRun(db: Executor, run: ImportRun): Promise<void> {
  await db
    .insertInto('import_runs')
    .values({
      id: run.id,
      district_id: run.districtId,
      kind: run.kind,
      file_name: run.fileName,
      actor_type: run.actorType,
      actor_id: run.actorId,
      status: run.status,
      counts: JSON.stringify(run.counts),
      problems: JSON.stringify(run.problems.slice(0, keptProblems)),
      created_at: run.createdAt,
      applied_at: run.appliedAt,
    })
    .execute();
}

/** A previewed run becomes applied, once: false when it was not (still) previewed. */
export async function markImportApplied(db: Executor, id: string, counts: ImportCounts, now: number): Promise<boolean> {
  const result = await db
    .updateTable('import_runs')
    .set({ status: 'applied', applied_at: now, counts: JSON.stringify(counts) })
    .where('id', '=', id)
    .where('status', '=', 'previewed')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

const toRun = (r: ImportRunTable): ImportRun => ({
  id: r.id,
  districtId: r.district_id,
  kind: r.kind,
  fileName: r.file_name,
  actorType: r.actor_type,
  actorId: r.actor_id,
  status: r.status,
  counts: parseJson<ImportCounts>(r.counts) ?? {},
  problems: parseJson<ImportRun['problems']>(r.problems) ?? [],
  createdAt: Number(r.created_at),
  appliedAt: r.applied_at === null ? null : Number(r.applied_at),
});

export async function findImportRun(db: Executor, id: string): Promise<ImportRun | undefined> {
  const row = await db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toRun(row);
}

/** The installation's import history (one district per installation), newest first. */
export async function listImportRuns(db: Executor, limit = 50): Promise<ImportRun[]> {
  const rows = await db
    .selectFrom('import_runs')
    .selectAll()
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRun);
}
