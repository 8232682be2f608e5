import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CubbyDb } from '@cubby/db';
import { createTestDb, testDialects } from '@cubby/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Keys } from '../../secrets.js';
import { aDistrict, aSite } from '../../testing/builders.js';
import { csvText } from '../../testing/oneroster.js';
import { deviceColumns } from './devices-csv.js';
import { runImport } from './import-run.js';
import { peopleColumns } from './people-csv.js';

const keys = new Keys('k'.repeat(40));

describe.each(testDialects)('people and device CSV imports on %s', (dialect) => {
  let cubby: CubbyDb;
  let dir: string;
  let siteId: string;
  beforeEach(async () => {
    cubby = await createTestDb(dialect);
    dir = mkdtempSync(join(tmpdir(), 'cubby-csv-'));
    const { districtId } = await aDistrict(cubby);
    siteId = await aSite(cubby, districtId, { name: 'Oak Elementary' });
  });
  afterEach(async () => {
    await cubby.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const file = (name: string, text: string | Buffer) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const people = (name: string, rows: Record<string, string>[]) =>
    runImport(cubby, keys, { kind: 'people', path: file(name, csvText(peopleColumns, rows)), operator: 'cli', dryRun: false });
  const devices = (name: string, rows: Record<string, string>[]) =>
    runImport(cubby, keys, { kind: 'devices', path: file(name, csvText(deviceColumns, rows)), operator: 'cli', dryRun: false });
  const kid = {
    id: 'k1',
    role: 'student',
    given_name: 'Kim',
    family_name: 'Ng',
    student_number: '501',
    grade: '3',
    campus: 'Oak Elementary',
    badge: '998877',
  };

  it('a people CSV creates, then leaves alone; status inactive deactivates and nobody missing is touched', async () => {
    expect((await people('p.csv', [kid, { ...kid, id: 'k2', student_number: '502', badge: '' }])).counts.people).toMatchObject({
      created: 2,
    });
    const again = await people('p.csv', [kid]);
    expect(again.counts.people).toEqual({ created: 0, updated: 0, deactivated: 0, unchanged: 1 });
    expect((await people('p2.csv', [{ ...kid, status: 'inactive' }])).counts.people).toMatchObject({ deactivated: 1 });
    const rows = await cubby.db
      .selectFrom('people')
      .select(['external_id', 'active', 'site_id', 'badge_hash'])
      .orderBy('external_id')
      .execute();
    expect(rows).toEqual([
      { external_id: 'k1', active: 0, site_id: siteId, badge_hash: keys.badgeHash('998877') },
      { external_id: 'k2', active: 1, site_id: siteId, badge_hash: null },
    ]);
  });

  it('a people CSV row with an unknown campus or a bad grade is refused with its line and column', async () => {
    const result = await people('bad.csv', [
      kid,
      { ...kid, id: 'k3', student_number: '503', badge: '', campus: 'Elm', grade: '13' },
    ]);
    expect(result.problems).toEqual([
      { file: 'bad.csv', line: 3, column: 'grade', message: "grade '13' is not a grade" },
      {
        file: 'bad.csv',
        line: 3,
        column: 'campus',
        message: "campus 'Elm' is unknown (not in orgs.csv nor a campus of the district)",
      },
    ]);
    expect(await cubby.db.selectFrom('people').selectAll().execute()).toEqual([]);
  });

  it('a device CSV creates devices with their owner and dates, matches by serial after a relabel, and a re-run changes nothing', async () => {
    await people('p.csv', [kid]);
    const row = {
      asset_tag: 'CB-1',
      serial: 'SN1',
      model: 'Dell 3110',
      pool: 'assigned',
      campus: 'Oak Elementary',
      owner_student_number: '501',
      purchase_date: '2025-08-01',
      warranty_end: '2028-07-31',
      condition: 'good',
      notes: 'cracked "A" key',
    };
    const loaner = { ...row, asset_tag: 'LN-1', serial: 'SN2', pool: 'loaner', owner_student_number: '' };
    expect((await devices('d.csv', [row, loaner])).counts.devices).toMatchObject({ created: 2 });
    expect((await devices('d.csv', [row, loaner])).counts.devices).toEqual({
      created: 0,
      updated: 0,
      deactivated: 0,
      unchanged: 2,
    });
    const relabel = await devices('d2.csv', [{ ...row, asset_tag: 'CB-100' }]);
    expect(relabel.counts.devices).toEqual({ created: 0, updated: 1, deactivated: 0, unchanged: 0 });
    const stored = await cubby.db.selectFrom('devices').selectAll().orderBy('asset_tag').execute();
    expect(stored.map((d) => [d.asset_tag, d.serial, d.pool, d.status, d.notes, Number(d.purchase_date)])).toEqual([
      ['CB-100', 'SN1', 'assigned', 'in_service', 'cracked "A" key', Date.UTC(2025, 7, 1)],
      ['LN-1', 'SN2', 'loaner', 'in_service', 'cracked "A" key', Date.UTC(2025, 7, 1)],
    ]);
    const owner = await cubby.db.selectFrom('people').select('id').where('external_id', '=', 'k1').executeTakeFirstOrThrow();
    expect(stored[0]!.owner_id).toBe(owner.id);
  });

  it('a device CSV with an unknown owner, a bad pool or a bad date writes nothing', async () => {
    const result = await devices('d.csv', [
      { asset_tag: 'CB-1', model: 'X', pool: 'spare', owner_student_number: '9', warranty_end: '2028-13-01' },
    ]);
    expect(result.problems.map((p) => `${p.line} ${p.column}: ${p.message}`)).toEqual([
      "2 pool: pool 'spare' is not assigned or loaner",
      "2 warranty_end: warranty_end '2028-13-01' is not a date (YYYY-MM-DD)",
      "2 owner_student_number: no student has the student number '9'",
    ]);
    expect(await cubby.db.selectFrom('devices').selectAll().execute()).toEqual([]);
  });

  it('a device CSV that is not UTF-8 is refused whole, with its line, and writes nothing', async () => {
    const header = 'asset_tag,serial,model,pool,campus\n';
    const text = Buffer.concat([
      Buffer.from(`${header}CB-1,SN1,Dell,loaner,Oak Elementary\n`),
      Buffer.from('CB-2,SN2,Dell Se\u00f1or,loaner,Oak Elementary\n', 'latin1'),
    ]);
    const result = await runImport(cubby, keys, {
      kind: 'devices',
      path: file('latin1.csv', text),
      operator: 'cli',
      dryRun: false,
    });
    expect(result.status).toBe('refused');
    expect(result.problems).toEqual([
      {
        file: 'latin1.csv',
        line: 3,
        column: null,
        message: 'is not UTF-8 (it looks like Latin-1 or Windows-1252): save it as UTF-8 (CSV UTF-8) and import it again',
      },
    ]);
    expect(result.counts.devices).toEqual({ created: 0, updated: 0, deactivated: 0, unchanged: 0 });
    expect(await cubby.db.selectFrom('devices').selectAll().execute()).toEqual([]);
  });
});
