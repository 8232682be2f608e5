import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { devicePools, parseIsoDate, problem, type DevicePool, type ImportProblem } from '@cubby/core';
import { csvRows, type Progress } from './csv-rows.js';

/** The device CSV's columns (docs/importing.md#device-csv); asset_tag, model and pool are required. */
export const deviceColumns = [
  'asset_tag',
  'serial',
  'model',
  'pool',
  'campus',
  'owner_student_number',
  'purchase_date',
  'warranty_end',
  'condition',
  'notes',
] as const;

/** A device row as read: campus and owner still by name and student number. */
export interface DeviceRow {
  assetTag: string;
  serial: string | null;
  model: string;
  pool: DevicePool;
  campus: string | null;
  ownerStudentNumber: string | null;
  purchaseDate: number | null;
  warrantyEnd: number | null;
  condition: string;
  notes: string | null;
  source: { file: string; line: number };
}

export const deviceConditions = ['new', 'good', 'fair', 'poor', 'damaged'] as const;

/**
 * Streams a device CSV's rows, checked, one at a time (the planner takes each
 * as it comes, so 150,000 rows are never held as read). Problems of the rows
 * go to `problems`; a row without an asset tag is not yielded.
 */
export async function* readDevicesCsv(
  input: Readable,
  fileName: string,
  problems: ImportProblem[],
  progress?: Progress,
): AsyncGenerator<DeviceRow> {
  const file = basename(fileName);
  // A fleet has a handful of models: each row refers to one string, not a copy of its own.
  const models = new Map<string, string>();
  for await (const row of csvRows(input, file, ['asset_tag', 'model', 'pool'], problems, progress)) {
    const at = (column: string, message: string) => problems.push(problem(file, row.line, column, message));
    const cell = (name: string) => (row.values[name] ?? '').trim();
    const assetTag = cell('asset_tag');
    if (!assetTag) at('asset_tag', 'asset_tag is empty');
    let model = cell('model');
    if (!model) at('model', 'model is empty');
    else if (models.has(model)) model = models.get(model)!;
    else if (models.size < 1000) models.set(model, model);
    const pool = devicePools.find((p) => p === cell('pool'));
    if (pool === undefined) at('pool', `pool '${cell('pool')}' is not assigned or loaner`);
    const date = (name: string) => {
      if (!cell(name)) return null;
      const t = parseIsoDate(cell(name));
      if (t === undefined) at(name, `${name} '${cell(name)}' is not a date (YYYY-MM-DD)`);
      return t ?? null;
    };
    const condition = deviceConditions.find((c) => c === (cell('condition') || 'good'));
    if (condition === undefined) at('condition', `condition '${cell('condition')}' is not one of ${deviceConditions.join(', ')}`);
    const purchaseDate = date('purchase_date');
    const warrantyEnd = date('warranty_end');
    if (!assetTag) continue;
    yield {
      assetTag,
      serial: cell('serial') || null,
      model,
      pool: pool ?? (cell('pool') as DevicePool),
      campus: cell('campus') || null,
      ownerStudentNumber: cell('owner_student_number') || null,
      purchaseDate,
      warrantyEnd,
      condition: condition ?? cell('condition'),
      notes: cell('notes') || null,
      source: { file, line: row.line },
    };
  }
}
