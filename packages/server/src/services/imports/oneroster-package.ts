import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * OneRoster CSV packages written as the specification lays them out (1.1 and
 * 1.2, bulk or delta): the demo seed hands its district to the import this
 * way, and tests and the benchmark build their fixtures with it.
 */
export const orgColumns = ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'];
export const users11Columns = [
  'sourcedId',
  'status',
  'dateLastModified',
  'enabledUser',
  'orgSourcedIds',
  'role',
  'username',
  'userIds',
  'givenName',
  'familyName',
  'middleName',
  'identifier',
  'email',
  'sms',
  'phone',
  'agentSourcedIds',
  'grades',
  'password',
];
export const users12Columns = [
  'sourcedId',
  'status',
  'dateLastModified',
  'enabledUser',
  'username',
  'userIds',
  'givenName',
  'familyName',
  'middleName',
  'identifier',
  'email',
  'sms',
  'phone',
  'agentSourcedIds',
  'grades',
  'password',
  'userMasterIdentifier',
  'resourceSourcedIds',
  'preferredGivenName',
  'preferredMiddleName',
  'preferredFamilyName',
  'primaryOrgSourcedId',
  'pronouns',
];
export const roleColumns = [
  'sourcedId',
  'status',
  'dateLastModified',
  'userSourcedId',
  'roleType',
  'role',
  'orgSourcedId',
  'beginDate',
  'endDate',
  'userProfileSourcedId',
];

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** One CSV file's text: the header, then each row's values by column name (missing ones empty). */
export function csvText(columns: readonly string[], rows: readonly Record<string, string>[], eol = '\n'): string {
  const lines = [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))];
  return lines.join(eol) + eol;
}

export interface PackageSpec {
  version: '1.1' | '1.2';
  /** Each file's mode in the manifest; a file given here without rows is still listed. */
  files: Record<string, { mode: 'bulk' | 'delta' | 'absent'; text?: string }>;
  /** The manifest's source.systemName. */
  systemName?: string;
  /** Leave manifest.csv out (a broken package). */
  noManifest?: boolean;
}

export function manifestText(spec: PackageSpec): string {
  const rows = [
    { propertyName: 'manifest.version', value: '1.0' },
    { propertyName: 'oneroster.version', value: spec.version },
    ...Object.entries(spec.files).map(([file, f]) => ({ propertyName: `file.${file.replace(/\.csv$/, '')}`, value: f.mode })),
    { propertyName: 'source.systemName', value: spec.systemName ?? 'Cubby test SIS' },
  ];
  return csvText(['propertyName', 'value'], rows);
}

/** Writes the package as a folder and returns its path. */
export function writePackageFolder(dir: string, spec: PackageSpec): string {
  mkdirSync(dir, { recursive: true });
  if (!spec.noManifest) writeFileSync(join(dir, 'manifest.csv'), manifestText(spec));
  for (const [file, f] of Object.entries(spec.files)) if (f.text !== undefined) writeFileSync(join(dir, file), f.text);
  return dir;
}
