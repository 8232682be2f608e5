import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The demo district as a district's systems would hand it over: a OneRoster
 * 1.1 bulk package (orgs and users) and a device CSV, written as files so the
 * seed goes through the same import every district uses (docs/importing.md).
 */
export type CsvRow = Record<string, string>;

export const orgColumns = ['sourcedId', 'status', 'dateLastModified', 'name', 'type', 'identifier', 'parentSourcedId'];
export const userColumns = [
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
export const deviceColumns = [
  'asset_tag',
  'serial',
  'model',
  'pool',
  'campus',
  'owner_student_number',
  'warranty_end',
  'condition',
];

const quote = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

/** A CSV file's text: the header, then each row's values by column name (missing ones empty). */
export function csvText(columns: readonly string[], rows: readonly CsvRow[]): string {
  return [columns.join(','), ...rows.map((r) => columns.map((c) => quote(r[c] ?? '')).join(','))].join('\n') + '\n';
}

/** Writes a OneRoster 1.1 bulk package of orgs and users as a folder; returns its path. */
export function writeRosterFolder(dir: string, orgs: readonly CsvRow[], users: readonly CsvRow[]): string {
  mkdirSync(dir, { recursive: true });
  const manifest = [
    { propertyName: 'manifest.version', value: '1.0' },
    { propertyName: 'oneroster.version', value: '1.1' },
    { propertyName: 'file.orgs', value: 'bulk' },
    { propertyName: 'file.users', value: 'bulk' },
    { propertyName: 'file.enrollments', value: 'absent' },
    { propertyName: 'source.systemName', value: 'Cubby demo SIS' },
  ];
  writeFileSync(join(dir, 'manifest.csv'), csvText(['propertyName', 'value'], manifest));
  writeFileSync(join(dir, 'orgs.csv'), csvText(orgColumns, orgs));
  writeFileSync(join(dir, 'users.csv'), csvText(userColumns, users));
  return dir;
}
