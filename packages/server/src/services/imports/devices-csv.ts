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

export async function readDevicesCsv(
  input: Readable,
  fileName: string,
  progress?: Progress,
): Promise<{ fileName: string; devices: DeviceRow[]; problems: ImportProblem[] }> {
  const file = basename(fileName);
  const problems: ImportProblem[] = [];
  const devices: DeviceRow[] = [];
  for await (const row of csvRows(input, file, ['asset_tag', 'model', 'pool'], problems, progress)) {
    const at = (column: string, message: string) => problems.push(problem(file, row.line, column, message));
    const cell = (name: string) => (row.values[name] ?? '').trim();
    const assetTag = cell('asset_tag');
    if (!assetTag) at('asset_tag', 'asset_tag is empty');
    if (!cell('model')) at('model', 'model is empty');
    const pool = cell('pool');
    if (!(devicePools as readonly string[]).includes(pool)) at('pool', `pool '${pool}' is not assigned or loaner`);
    const date = (name: string) => {
      if (!cell(name)) return null;
      const t = parseIsoDate(cell(name));
      if (t === undefined) at(name, `${name} '${cell(name)}' is not a date (YYYY-MM-DD)`);
      return t ?? null;
    };
    const condition = cell('condition') || 'good';
    if (!(deviceConditions as readonly string[]).includes(condition))
      at('condition', `condition '${condition}' is not one of ${deviceConditions.join(', ')}`);
    const purchaseDate = date('purchase_date');
    const warrantyEnd = date('warranty_end');
    if (!assetTag) continue;
    devices.push({
      assetTag,
      serial: cell('serial') || null,
      model: cell('model'),
      pool: pool as DevicePool,
      campus: cell('campus') || null,
      ownerStudentNumber: cell('owner_student_number') || null,
      purchaseDate,
      warrantyEnd,
      condition,
      notes: cell('notes') || null,
      source: { file, line: row.line },
    });
  }
  return { fileName: file, devices, problems };
}
