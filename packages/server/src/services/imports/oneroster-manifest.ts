import { problem, type ImportProblem } from '@cubby/core';
import { csvRows } from './csv-rows.js';
import type { PackageSource } from './package-source.js';

export type FileMode = 'bulk' | 'delta' | 'absent';

export interface Manifest {
  version: '1.1' | '1.2';
  files: Map<string, FileMode>;
}

/**
 * manifest.csv is required: it says which OneRoster version the package is
 * and, per file, whether it is the whole truth (bulk), changes (delta) or
 * left out (absent). Without it a bulk file could not be told from a delta,
 * and a bulk import deactivates everyone missing.
 */
export async function readManifest(source: PackageSource, problems: ImportProblem[]): Promise<Manifest | undefined> {
  if (!source.files.has('manifest.csv')) {
    problems.push(problem(source.name, null, null, 'has no manifest.csv: a OneRoster package must have one'));
    return undefined;
  }
  const properties = new Map<string, { value: string; line: number }>();
  for await (const row of csvRows(await source.open('manifest.csv'), 'manifest.csv', ['propertyName', 'value'], problems))
    properties.set(row.values.propertyName!.trim(), { value: row.values.value!.trim(), line: row.line });
  const version = properties.get('oneroster.version');
  if (!version) {
    problems.push(problem('manifest.csv', null, 'propertyName', "has no 'oneroster.version'"));
    return undefined;
  }
  const major = /^1\.1(\.\d+)?$/.test(version.value) ? '1.1' : /^1\.2(\.\d+)?$/.test(version.value) ? '1.2' : undefined;
  if (!major) {
    problems.push(problem('manifest.csv', version.line, 'value', `OneRoster version '${version.value}' is not 1.1 or 1.2`));
    return undefined;
  }
  const files = new Map<string, FileMode>();
  for (const [key, { value, line }] of properties) {
    if (!key.startsWith('file.')) continue;
    if (value !== 'bulk' && value !== 'delta' && value !== 'absent') {
      problems.push(problem('manifest.csv', line, 'value', `'${key}' is '${value}', not bulk, delta or absent`));
      continue;
    }
    const file = `${key.slice('file.'.length)}.csv`;
    if (value !== 'absent' && !source.files.has(file))
      problems.push(problem('manifest.csv', line, 'value', `says ${file} is ${value} but the package has no ${file}`));
    files.set(file, value);
  }
  return { version: major, files };
}
