import { readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, migrateToLatest, sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { Keys } from '@cubby/server';
import { aDistrict, aStudent } from '@cubby/server/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { aDatabaseUrl, runCubby } from '../testing/commands.js';

describe.each(testDialects)('cubby privacy on %s', (dialect) => {
  let cleanup: () => Promise<void> = async () => {};
  afterEach(async () => cleanup());

  it('exports one student as JSON or CSV (a file only its owner reads), then erases them; the chain still verifies', async () => {
    const db = await aDatabaseUrl(dialect);
    cleanup = db.cleanup;
    const env = { DATABASE_URL: db.url };
    const cubby = connect({ url: db.url });
    await migrateToLatest(cubby);
    const { districtId } = await aDistrict(cubby);
    const keys = new Keys('s'.repeat(40));
    const student = await aStudent(cubby, keys, districtId, { givenName: 'Yesenia', familyName: 'Oyelaran', pin: '1357' });
    await cubby.close();

    const json = runCubby(['privacy', 'export', student.studentNumber], env);
    expect(json.code).toBe(0);
    const data = JSON.parse(json.stdout);
    expect(data.person).toMatchObject({ id: student.personId, givenName: 'Yesenia', familyName: 'Oyelaran' });
    expect(data.credentials).toEqual({ badgeEnrolled: true, offlineBadgeEnrolled: true, pinSet: true });

    const file = join(tmpdir(), `cubby-export-${process.pid}-${dialect}.csv`);
    expect(runCubby(['privacy', 'export', student.personId, '--format', 'csv', '--out', file], env).code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(`person,${student.personId},givenName,Yesenia\r\n`);

    const unconfirmed = runCubby(['privacy', 'erase', student.studentNumber], env);
    expect(unconfirmed.code).toBe(1);
    expect(unconfirmed.out).toContain('pass --confirm');

    const erased = runCubby(['privacy', 'erase', student.studentNumber, '--confirm', student.studentNumber], env);
    expect(erased.code).toBe(0);
    expect(erased.out).toMatch(/kept as "Erased student [0-9a-f]{8}"/);
    // The id still finds the pseudonymous row.
    const after = runCubby(['privacy', 'export', student.personId], env);
    expect(after.stdout).not.toContain('Yesenia');
    expect(after.stdout).not.toContain(student.studentNumber);

    const sealing = connect({ url: db.url });
    await sealAuditChain(sealing);
    const actions = await sealing.db.selectFrom('audit_events').select(['action', 'actor_type']).orderBy('seq').execute();
    await sealing.close();
    expect(actions).toEqual([
      { action: 'person.privacy_exported', actor_type: 'system' },
      { action: 'person.privacy_exported', actor_type: 'system' },
      { action: 'person.erased', actor_type: 'system' },
      { action: 'person.privacy_exported', actor_type: 'system' },
    ]);
    const verify = runCubby(['audit', 'verify'], env);
    expect(verify.code).toBe(0);
    expect(verify.out).toContain('audit chain intact: 4 events');
  }, 240_000);
});
