import { request as httpRequest } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDialects } from '@cubby/db/testing';
import type { ImportHistory, ImportRunItem } from '@cubby/protocol/api';
import { Keys } from '../secrets.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDistrict } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { csvText, orgColumns, users11Columns, writePackageZip } from '../testing/oneroster.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

const orgs = csvText(orgColumns, [
  { sourcedId: 'd1', name: 'Lakeside USD', type: 'district' },
  { sourcedId: 'sch-1', name: 'Lakeside High', type: 'school', parentSourcedId: 'd1' },
]);
const users = csvText(users11Columns, [
  {
    sourcedId: 's1',
    orgSourcedIds: 'sch-1',
    role: 'student',
    userIds: '{badge:4455661}',
    givenName: 'Ines',
    familyName: 'Mora',
    identifier: '901',
    grades: '9',
  },
]);

/** The upload API (docs/importing.md): a dry run on upload, apply by id, history; district admins only; hostile uploads refused. */
describe.each(testDialects)('the imports API on %s', (dialect) => {
  let server: TestServer;
  let admin: Browser;
  let siteAdmin: Browser;
  let zip: Buffer;
  let dir = '';
  beforeAll(async () => {
    server = await startTestServer(dialect);
    await aDistrict(server.cubby);
    admin = await signIn(server.app, await aUser(server.cubby, { role: 'district_admin', name: 'Dana District' }));
    siteAdmin = await signIn(server.app, await aUser(server.cubby, { role: 'auditor' }));
    dir = mkdtempSync(join(tmpdir(), 'cubby-api-import-'));
    const path = await writePackageZip(join(dir, 'roster.zip'), {
      version: '1.1',
      files: { 'orgs.csv': { mode: 'bulk', text: orgs }, 'users.csv': { mode: 'bulk', text: users } },
    });
    zip = readFileSync(path);
  });
  afterAll(async () => {
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  const upload = (who: Browser, body: Buffer | string, type = 'application/zip', fileName = 'roster.zip') =>
    server.app.inject({
      method: 'POST',
      url: `/api/v1/imports?kind=oneroster&fileName=${fileName}`,
      headers: { ...who.headers, 'content-type': type },
      payload: body,
    });

  it('previews an uploaded zip, applies it by id once, and lists the history', async () => {
    const preview = await upload(admin, zip);
    expect(preview.statusCode).toBe(200);
    const run = preview.json<ImportRunItem>();
    expect(run).toMatchObject({ status: 'previewed', fileName: 'roster.zip', problems: [] });
    expect(run.counts.people).toEqual({ created: 1, updated: 0, deactivated: 0, unchanged: 0 });
    expect(await server.cubby.db.selectFrom('people').selectAll().execute()).toEqual([]);

    const applied = await server.app.inject({ method: 'POST', url: `/api/v1/imports/${run.id}/apply`, headers: admin.headers });
    expect(applied.statusCode).toBe(200);
    expect(applied.json<ImportRunItem>()).toMatchObject({ id: run.id, status: 'applied' });
    const people = await server.cubby.db.selectFrom('people').select(['student_number', 'badge_hash']).execute();
    expect(people).toEqual([
      { student_number: '901', badge_hash: new Keys('test-secret-test-secret-test-secret-0123').badgeHash('4455661') },
    ]);

    const twice = await server.app.inject({ method: 'POST', url: `/api/v1/imports/${run.id}/apply`, headers: admin.headers });
    expect(twice.statusCode).toBe(409);
    expect(twice.headers['content-type']).toContain('application/problem+json');

    const history = await server.app.inject({ method: 'GET', url: '/api/v1/imports', headers: admin.headers });
    expect(history.json<ImportHistory>().items.map((i) => i.status)).toEqual(['applied']);
    // The Import page's history says who ran each import.
    expect(history.json<ImportHistory>().items.map((i) => i.by)).toEqual(['Dana District']);
  });

  it('is for district admins only', async () => {
    expect((await upload(siteAdmin, zip)).statusCode).toBe(403);
    expect((await server.app.inject({ method: 'GET', url: '/api/v1/imports', headers: siteAdmin.headers })).statusCode).toBe(403);
  });

  it('a forged zip, a path-traversal entry and a JSON body are refused and write nothing', async () => {
    const forged = await upload(admin, Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)]));
    expect(forged.json<ImportRunItem>()).toMatchObject({
      status: 'refused',
      problems: [{ message: expect.stringMatching(/^is not a whole zip file/) }],
    });
    // yazl will not write a "../" name, so one of the same length is swapped in, in both headers.
    const evil = await writePackageZip(join(dir, 'evil.zip'), { version: '1.1', files: {} }, { 'ab/cd/etc/users.csv': 'x' });
    const bytes = Buffer.from(
      readFileSync(evil).toString('latin1').replaceAll('ab/cd/etc/users.csv', '../../etc/users.csv'),
      'latin1',
    );
    const traversal = await upload(admin, bytes);
    expect(traversal.json<ImportRunItem>().status).toBe('refused');
    const json = await server.app.inject({
      method: 'POST',
      url: '/api/v1/imports?kind=people&fileName=p.csv',
      headers: admin.headers,
      payload: { a: 1 },
    });
    expect(json.statusCode).toBe(415);
    const before = await server.cubby.db.selectFrom('people').select('id').execute();
    expect(before.length).toBeLessThanOrEqual(1);
  });

  it('an upload declaring more than 2 GB is refused (413) before it is read', async () => {
    const address = new URL(server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: address.hostname,
          port: address.port,
          method: 'POST',
          path: '/api/v1/imports?kind=people&fileName=huge.csv',
          headers: { ...admin.headers, 'content-type': 'text/csv', 'content-length': String(3 * 1024 ** 3) },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('id,role,given_name,family_name\n');
    });
    expect(status).toBe(413);
  });
});
