import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { csvText, orgColumns, users11Columns, writePackageFolder } from '@cubby/server/testing/oneroster';
import { afterEach, describe, expect, it } from 'vitest';
import { aDatabaseUrl, runCubby } from '../testing/commands.js';

const orgs = csvText(orgColumns, [
  { sourcedId: 'd1', name: 'Lakeside USD', type: 'district' },
  { sourcedId: 'sch-1', name: 'Lakeside High', type: 'school', parentSourcedId: 'd1' },
]);
const user = (n: number, over: Record<string, string> = {}) => ({
  sourcedId: `s${n}`,
  orgSourcedIds: 'sch-1',
  role: 'student',
  userIds: `{badge:${880000 + n}}`,
  givenName: `Kid${n}`,
  familyName: 'Lee',
  identifier: `${700 + n}`,
  grades: '10',
  ...over,
});

describe.each(testDialects)('cubby import on %s', (dialect) => {
  let cleanup: () => Promise<void> = async () => {};
  let dir = '';
  afterEach(async () => {
    await cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('previews a OneRoster folder, applies it, re-runs with nothing to change, then imports devices', async () => {
    const db = await aDatabaseUrl(dialect);
    cleanup = db.cleanup;
    dir = mkdtempSync(join(tmpdir(), 'cubby-cli-import-'));
    const env = { DATABASE_URL: db.url };
    const roster = writePackageFolder(join(dir, 'roster'), {
      version: '1.1',
      files: {
        'orgs.csv': { mode: 'bulk', text: orgs },
        'users.csv': { mode: 'bulk', text: csvText(users11Columns, [user(1), user(2)]) },
      },
    });

    const dry = runCubby(['import', 'oneroster', roster, '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^roster: dry run, nothing written \(import [0-9a-f-]{36}, [\d.]+ s\)\n/);
    expect(dry.stdout).toMatch(/ people\s+2\s+0\s+0\s+0\n/);
    expect(dry.stdout).not.toContain('880001');

    const applied = runCubby(['import', 'oneroster', roster], env);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toContain('roster: applied');
    expect(applied.out).toContain('read users.csv: 2 rows');
    const again = runCubby(['import', 'oneroster', roster], env);
    expect(again.stdout).toMatch(/ people\s+0\s+0\s+0\s+2\n/);

    const devices = join(dir, 'devices.csv');
    writeFileSync(
      devices,
      'asset_tag,serial,model,pool,campus,owner_student_number\nCB-1,SN1,Dell 3110,assigned,Lakeside High,701\n',
    );
    const imported = runCubby(['import', 'devices', devices], env);
    expect(imported.stdout).toMatch(/ devices\s+1\s+0\s+0\s+0\n/);

    const cubby = connect({ url: db.url });
    const owner = await cubby.db
      .selectFrom('devices')
      .innerJoin('people', 'people.id', 'devices.owner_id')
      .select(['people.student_number'])
      .executeTakeFirstOrThrow();
    await cubby.close();
    expect(owner.student_number).toBe('701');
  }, 180_000);

  it('a broken roster exits 1 with every problem by file, line and column, and writes nothing', async () => {
    const db = await aDatabaseUrl(dialect);
    cleanup = db.cleanup;
    dir = mkdtempSync(join(tmpdir(), 'cubby-cli-import-'));
    const roster = writePackageFolder(join(dir, 'broken'), {
      version: '1.1',
      files: {
        'orgs.csv': { mode: 'bulk', text: orgs },
        'users.csv': {
          mode: 'bulk',
          text: csvText(users11Columns, [user(1), user(2, { grades: '13', orgSourcedIds: 'sch-9' })]),
        },
      },
    });
    const result = runCubby(['import', 'oneroster', roster], { DATABASE_URL: db.url });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('broken: refused');
    expect(result.stdout).toContain(
      "2 problems; nothing was written:\n  users.csv line 3: grade '13' is not a grade (column grades)\n",
    );
    expect(result.stdout).toContain("users.csv line 3: campus 'sch-9' is unknown");
    const cubby = connect({ url: db.url });
    const people = await cubby.db.selectFrom('people').selectAll().execute();
    await cubby.close();
    expect(people).toEqual([]);
  }, 60_000);
});
