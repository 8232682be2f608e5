import { mkdtempSync, readFileSync, rmSync, truncateSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyAuditChain, type CubbyDb } from '@cubby/db';
import { createTestDb, testDialects } from '@cubby/db/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Keys } from '../../secrets.js';
import {
  csvText,
  orgColumns,
  roleColumns,
  users11Columns,
  users12Columns,
  writePackageFolder,
  writePackageZip,
  type PackageSpec,
} from '../../testing/oneroster.js';
import { runImport, type ImportRequest } from './import-run.js';

const keys = new Keys('k'.repeat(40));
const orgs = csvText(orgColumns, [
  { sourcedId: 'd1', name: 'Lakeside USD', type: 'district' },
  { sourcedId: 'sch-n', name: 'North High', type: 'school', parentSourcedId: 'd1' },
  { sourcedId: 'sch-s', name: 'South Middle', type: 'school', parentSourcedId: 'd1' },
]);
const student = (n: number, over: Record<string, string> = {}) => ({
  sourcedId: `stu-${n}`,
  enabledUser: 'true',
  orgSourcedIds: n % 2 ? 'sch-n' : 'sch-s',
  role: 'student',
  userIds: `{LDAP:s${n}},{badge:00${4100 + n}}`,
  givenName: `Given${n}`,
  familyName: `Family${n}`,
  identifier: `${1000 + n}`,
  grades: '07',
  agentSourcedIds: n === 1 ? 'par-1' : '',
  ...over,
});
const users11 = (rows: Record<string, string>[]) => csvText(users11Columns, rows);
const baseUsers: Record<string, string>[] = [
  student(1),
  student(2),
  student(3),
  {
    sourcedId: 't-1',
    enabledUser: 'true',
    orgSourcedIds: 'sch-n',
    role: 'teacher',
    givenName: 'Tess',
    familyName: 'Teach',
    userIds: '{badge:77001}',
  },
  {
    sourcedId: 'par-1',
    enabledUser: 'true',
    orgSourcedIds: 'sch-n',
    role: 'parent',
    givenName: 'Pat',
    familyName: 'Family1',
    email: 'pat@example.org',
    phone: '555-0101',
    agentSourcedIds: 'stu-1',
  },
];
const bulk11 = (users: string, extra: PackageSpec['files'] = {}): PackageSpec => ({
  version: '1.1',
  files: {
    'orgs.csv': { mode: 'bulk', text: orgs },
    'users.csv': { mode: 'bulk', text: users },
    'classes.csv': { mode: 'absent' },
    ...extra,
  },
});

describe.each(testDialects)('roster imports on %s', (dialect) => {
  let cubby: CubbyDb;
  let dir: string;
  beforeEach(async () => {
    cubby = await createTestDb(dialect);
    dir = mkdtempSync(join(tmpdir(), 'cubby-import-'));
  });
  afterEach(async () => {
    await cubby.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const run = (over: Partial<ImportRequest> & { path: string }) =>
    runImport(cubby, keys, { kind: 'oneroster', operator: 'cli', dryRun: false, ...over });
  const people = () => cubby.db.selectFrom('people').selectAll().orderBy('external_id').execute();

  it('a OneRoster 1.1 bulk zip makes the district, its campuses, students, staff and guardians; a re-run changes nothing', async () => {
    const zip = await writePackageZip(join(dir, 'roster.zip'), bulk11(users11(baseUsers)));
    const preview = await run({ path: zip, dryRun: true });
    expect(preview).toMatchObject({ status: 'previewed', problems: [] });
    expect(preview.counts.people).toEqual({ created: 4, updated: 0, deactivated: 0, unchanged: 0 });
    expect(await people()).toEqual([]);

    const applied = await run({ path: zip });
    expect(applied.status).toBe('applied');
    expect(applied.counts).toMatchObject({ campuses: { created: 2 }, people: { created: 4 }, contacts: { created: 1 } });
    const rows = await people();
    expect(rows.map((p) => [p.external_id, p.role, p.grade, p.student_number])).toEqual([
      ['stu-1', 'student', '7', '1001'],
      ['stu-2', 'student', '7', '1002'],
      ['stu-3', 'student', '7', '1003'],
      ['t-1', 'staff', null, null],
    ]);
    expect(rows[0]!.badge_hash).toBe(keys.badgeHash('4101'));
    expect(rows[0]!.offline_badge_hash).toBe(keys.offlineBadgeHash('4101'));
    const sites = await cubby.db.selectFrom('sites').select(['id', 'name']).orderBy('name').execute();
    expect(rows[0]!.site_id).toBe(sites[0]!.id);
    const contacts = await cubby.db.selectFrom('person_contacts').selectAll().execute();
    expect(contacts).toEqual([
      expect.objectContaining({ person_id: rows[0]!.id, relationship: 'parent', email: 'pat@example.org', given_name: 'Pat' }),
    ]);

    const again = await run({ path: zip });
    expect(again.counts).toEqual({
      campuses: { created: 0, updated: 0, deactivated: 0, unchanged: 2 },
      people: { created: 0, updated: 0, deactivated: 0, unchanged: 4 },
      contacts: { created: 0, updated: 0, deactivated: 0, unchanged: 1 },
    });
    expect(await people()).toEqual(rows);
    const runs = await cubby.db
      .selectFrom('import_runs')
      .select(['status', 'file_name', 'actor_type'])
      .orderBy('created_at')
      .execute();
    expect(runs.map((r) => r.status)).toEqual(['previewed', 'applied', 'applied']);
    const audit = await cubby.db.selectFrom('audit_events').select('action').where('entity_type', '=', 'import').execute();
    expect(audit.map((a) => a.action).sort()).toEqual(['import.applied', 'import.applied', 'import.previewed']);
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: true });
  });

  it('a changed row keeps the PIN and (without a badge) the badge; a row missing from bulk deactivates, never deletes', async () => {
    await run({ path: writePackageFolder(join(dir, 'a'), bulk11(users11(baseUsers))) });
    await cubby.db.updateTable('people').set({ pin_hash: 'argon-hash' }).where('external_id', '=', 'stu-1').execute();
    const changed = [student(1, { grades: '8', userIds: '{LDAP:s1}' }), student(2), baseUsers[3]!, baseUsers[4]!];
    const result = await run({ path: writePackageFolder(join(dir, 'b'), bulk11(users11(changed))) });
    expect(result.counts.people).toEqual({ created: 0, updated: 1, deactivated: 1, unchanged: 2 });
    const [one, , three] = await people();
    expect(one).toMatchObject({ grade: '8', pin_hash: 'argon-hash', badge_hash: keys.badgeHash('4101'), active: 1 });
    expect(three).toMatchObject({ external_id: 'stu-3', active: 0 });
  });

  it('a delta deactivates tobedeleted rows and leaves missing ones alone', async () => {
    await run({ path: writePackageFolder(join(dir, 'a'), bulk11(users11(baseUsers))) });
    const delta: PackageSpec = {
      version: '1.1',
      files: {
        'orgs.csv': { mode: 'absent' },
        'users.csv': {
          mode: 'delta',
          text: users11([
            { ...student(2), status: 'tobedeleted', dateLastModified: '2026-11-01T00:00:00Z' },
            { ...student(4), status: 'active', dateLastModified: '2026-11-01T00:00:00Z' },
          ]),
        },
      },
    };
    const result = await run({ path: writePackageFolder(join(dir, 'd'), delta) });
    expect(result.counts.people).toEqual({ created: 1, updated: 0, deactivated: 1, unchanged: 0 });
    expect((await people()).map((p) => `${p.external_id}:${p.active}`)).toEqual([
      'stu-1:1',
      'stu-2:0',
      'stu-3:1',
      'stu-4:1',
      't-1:1',
    ]);
  });

  it('OneRoster 1.2 takes the role and campus from roles.csv and preferred names', async () => {
    const users = csvText(users12Columns, [
      {
        sourcedId: 'u1',
        enabledUser: 'true',
        userIds: '{badge:5550001}',
        givenName: 'Robert',
        preferredGivenName: 'Bobby',
        familyName: 'Diaz',
        identifier: 'S-1',
        grades: 'KG',
      },
      { sourcedId: 'u2', enabledUser: 'true', givenName: 'Ana', familyName: 'Ruiz', primaryOrgSourcedId: 'sch-s' },
    ]);
    const roles = csvText(roleColumns, [
      { sourcedId: 'r1', userSourcedId: 'u1', roleType: 'primary', role: 'student', orgSourcedId: 'sch-s' },
      { sourcedId: 'r2', userSourcedId: 'u2', roleType: 'primary', role: 'siteAdministrator', orgSourcedId: 'sch-s' },
    ]);
    const spec: PackageSpec = {
      version: '1.2',
      files: {
        'orgs.csv': { mode: 'bulk', text: orgs },
        'users.csv': { mode: 'bulk', text: users },
        'roles.csv': { mode: 'bulk', text: roles },
      },
    };
    const result = await run({ path: writePackageFolder(join(dir, 'v12'), spec) });
    expect(result.problems).toEqual([]);
    const south = await cubby.db.selectFrom('sites').select('id').where('name', '=', 'South Middle').executeTakeFirstOrThrow();
    expect((await people()).map((p) => [p.given_name, p.role, p.grade, p.student_number, p.site_id])).toEqual([
      ['Bobby', 'student', 'KG', 'S-1', south.id],
      ['Ana', 'staff', null, null, south.id],
    ]);
  });

  it.each([
    [
      'no manifest',
      { ...bulk11(users11(baseUsers)), noManifest: true },
      'roster: has no manifest.csv: a OneRoster package must have one',
    ],
    ['a sourcedId twice', bulk11(users11([...baseUsers, student(2)])), "users.csv line 7: 'stu-2' appears twice"],
    [
      'an unknown campus',
      bulk11(users11([student(1, { orgSourcedIds: 'sch-x' })])),
      "users.csv line 2: campus 'sch-x' is unknown (not in orgs.csv nor a campus of the district)",
    ],
    [
      'one badge twice',
      bulk11(users11([student(1), student(2, { userIds: '{badge:4101}' })])),
      'users.csv line 3: one badge belongs to two people',
    ],
    ['grade 13', bulk11(users11([student(1, { grades: '13' })])), "users.csv line 2: grade '13' is not a grade"],
  ])('%s: a clear message with file and line, and nothing written', async (_name, spec, message) => {
    const result = await run({ path: writePackageFolder(join(dir, 'roster'), spec) });
    expect(result.status).toBe('refused');
    expect(
      result.problems.map((p) => (p.line === null ? `${p.file}: ${p.message}` : `${p.file} line ${p.line}: ${p.message}`)),
    ).toContain(message);
    expect(await people()).toEqual([]);
    expect(await cubby.db.selectFrom('sites').selectAll().execute()).toEqual([]);
  });

  it('Latin-1 is refused with its line; BOM and CRLF are read', async () => {
    const bytes = Buffer.from(users11([student(1), student(2, { givenName: 'JosXX' })]), 'utf8');
    const at = bytes.indexOf('XX');
    bytes[at] = 0xe9; // é in Latin-1
    bytes[at + 1] = 0x20;
    const folder = writePackageFolder(join(dir, 'latin'), bulk11(''));
    writeFileSync(join(folder, 'users.csv'), bytes);
    const refused = await run({ path: folder });
    expect(refused.problems).toEqual([
      expect.objectContaining({ file: 'users.csv', line: 3, message: expect.stringContaining('is not UTF-8') }),
    ]);
    const crlf = '\uFEFF' + csvText(users11Columns, [student(2, { givenName: 'Zoë' })], '\r\n');
    const ok = await run({ path: writePackageFolder(join(dir, 'bom'), bulk11(crlf)) });
    expect(ok.problems).toEqual([]);
    expect((await people()).map((p) => p.given_name)).toEqual(['Zoë']);
  });

  it('a truncated zip and a zip with a subfolder are refused before anything is read', async () => {
    const zip = await writePackageZip(join(dir, 'cut.zip'), bulk11(users11(baseUsers)));
    truncateSync(zip, statSync(zip).size - 30);
    expect((await run({ path: zip })).problems[0]!.message).toMatch(/^is not a whole zip file/);
    const nested = await writePackageZip(join(dir, 'nested.zip'), bulk11(users11(baseUsers)), { 'extra/users.csv': 'x' });
    expect((await run({ path: nested })).problems[0]!.message).toBe(
      "has a subfolder 'extra': a OneRoster package has its CSV files at the top",
    );
    expect(await people()).toEqual([]);
    expect(readFileSync(zip).length).toBeGreaterThan(0);
  });
});
