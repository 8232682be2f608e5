import { csvText, orgColumns, users11Columns, writePackageFolder } from '@cubby/server';

/**
 * The demo district as a district's systems would hand it over: a OneRoster
 * 1.1 bulk package (orgs and users) and a device CSV, written as files so the
 * seed goes through the same import every district uses (docs/importing.md).
 */
export type CsvRow = Record<string, string>;

/** Writes a OneRoster 1.1 bulk package of orgs and users as a folder; returns its path. */
export function writeRosterFolder(dir: string, orgs: readonly CsvRow[], users: readonly CsvRow[]): string {
  return writePackageFolder(dir, {
    version: '1.1',
    systemName: 'Cubby demo SIS',
    files: {
      'orgs.csv': { mode: 'bulk', text: csvText(orgColumns, orgs) },
      'users.csv': { mode: 'bulk', text: csvText(users11Columns, users) },
      'enrollments.csv': { mode: 'absent' },
    },
  });
}
