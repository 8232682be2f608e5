import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devicesForImport, findFirstDistrict, peopleForImport, sealAuditChain, sitesForImport, type CubbyDb } from '@cubby/db';
import { csvText, deviceColumns, runImport, type ImportRequest, type Keys } from '@cubby/server';
import { writeRosterFolder, type CsvRow } from './roster-files.js';

export interface DemoFiles {
  districtSourcedId: string;
  districtName: string;
  campuses: { sourcedId: string; name: string }[];
  users: CsvRow[];
  devices: CsvRow[];
  timeZone: string;
}

/** The imported district's ids, by the keys the files gave them. */
export interface Imported {
  siteIds: Map<string, string>;
  personIds: Map<string, string>;
  /** Staff, by their roster sourcedId (they have no student number). */
  staffIds: Map<string, string>;
  deviceIds: Map<string, string>;
}

/**
 * Writes the demo's roster and inventory as files and imports them the way a
 * district does (`cubby import oneroster`, then `cubby import devices`): the
 * roster first, since a device's owner is found by student number.
 */
export async function importDemoFiles(cubby: CubbyDb, keys: Keys, files: DemoFiles): Promise<Imported> {
  const dir = mkdtempSync(join(tmpdir(), 'cubby-demo-'));
  try {
    const orgs = [
      { sourcedId: files.districtSourcedId, status: 'active', name: files.districtName, type: 'district' },
      ...files.campuses.map((c) => ({
        sourcedId: c.sourcedId,
        status: 'active',
        name: c.name,
        type: 'school',
        parentSourcedId: files.districtSourcedId,
      })),
    ];
    const roster = writeRosterFolder(join(dir, 'oneroster'), orgs, files.users);
    const devices = join(dir, 'devices.csv');
    writeFileSync(devices, csvText(deviceColumns, files.devices));
    const request = { operator: 'cli', dryRun: false, campuses: { timeZone: files.timeZone } } as const;
    await applied(cubby, keys, { ...request, kind: 'oneroster', path: roster, fileName: 'demo-oneroster' });
    await applied(cubby, keys, { ...request, kind: 'devices', path: devices, fileName: 'demo-devices.csv' });
    // PostgreSQL leaves a commit's audit events for the server's sealer; the history is chained after them.
    await sealAuditChain(cubby);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return importedIds(cubby);
}

/** An import of the demo's own files that does not apply is a bug in the seed: say why. */
async function applied(cubby: CubbyDb, keys: Keys, request: ImportRequest): Promise<void> {
  const outcome = await runImport(cubby, keys, request);
  if (outcome.status !== 'applied') {
    const first = outcome.problems.slice(0, 5).map((p) => `${p.file} line ${p.line ?? '-'}: ${p.message}`);
    throw new Error(`the demo's ${request.kind} import was ${outcome.status}: ${first.join('; ')}`);
  }
}

async function importedIds(cubby: CubbyDb): Promise<Imported> {
  const district = await findFirstDistrict(cubby.db);
  if (!district) throw new Error('the demo district was not created');
  const sites = await sitesForImport(cubby.db, district.id);
  const people = await peopleForImport(cubby.db, district.id);
  const devices = await devicesForImport(cubby.db, district.id);
  return {
    siteIds: new Map(sites.map((s) => [s.externalId ?? s.name, s.id])),
    personIds: new Map(people.flatMap((p) => (p.studentNumber ? [[p.studentNumber, p.id] as const] : []))),
    staffIds: new Map(people.flatMap((p) => (!p.studentNumber && p.externalId ? [[p.externalId, p.id] as const] : []))),
    deviceIds: new Map(devices.map((d) => [d.assetTag, d.id])),
  };
}
