import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvText, orgColumns, users11Columns, writePackageZip } from '../packages/server/src/testing/oneroster.js';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

const suite = useDashboardSuite({ timezoneId: 'America/Chicago' });
const dir = mkdtempSync(join(tmpdir(), 'cubby-e2e-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A OneRoster 1.1 bulk package: the harness's campus (adopted by its exact name), a student and her guardian. */
async function rosterZip(name: string, grade = '9'): Promise<string> {
  const orgs = csvText(orgColumns, [
    { sourcedId: 'd1', name: 'Maple Valley USD', type: 'district' },
    { sourcedId: 'sch-1', name: 'Maple Valley High', type: 'school', parentSourcedId: 'd1' },
  ]);
  const users = csvText(users11Columns, [
    {
      sourcedId: 's1',
      enabledUser: 'true',
      orgSourcedIds: 'sch-1',
      role: 'student',
      userIds: '{badge:7300415}',
      givenName: 'Inés',
      familyName: 'Mora',
      identifier: '90417',
      agentSourcedIds: 'g1',
      grades: grade,
    },
    {
      sourcedId: 'g1',
      enabledUser: 'true',
      orgSourcedIds: 'sch-1',
      role: 'guardian',
      givenName: 'Rosa',
      familyName: 'Mora',
      email: 'rosa.mora@example.org',
      phone: '+1 512 555 0142',
      agentSourcedIds: 's1',
    },
  ]);
  return writePackageZip(join(dir, name), {
    version: '1.1',
    files: { 'orgs.csv': { mode: 'bulk', text: orgs }, 'users.csv': { mode: 'bulk', text: users } },
  });
}

/** docs/importing.md and docs/dashboard.md "Import": upload, dry run, apply, history, and a refused file. */
describe('the Import page', { timeout: 180_000 }, () => {
  it('a district admin uploads a OneRoster zip by keyboard, reads the dry run, applies it and finds the student with her guardian', async () => {
    const dashboard = await suite.start();
    const zip = await rosterZip('maple-valley-roster.zip');
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    await tab.page.getByRole('navigation').getByRole('link', { name: 'Import' }).click();
    await tab.page.locator('[data-page="import"]').waitFor();
    expect(await tab.heading()).toBe('Import');
    await tab.page.locator('[data-import-history]').getByText('No imports yet.').waitFor();
    await tab.capture('import-start');

    // The picker is a button: Enter opens the file chooser, no mouse needed. The listener goes on
    // first: Playwright turns on file-chooser interception asynchronously, and a chooser opened
    // before that (a busy machine) never raises the event.
    const chooserOpened = tab.page.waitForEvent('filechooser', { timeout: 60_000 });
    await tab.page.getByRole('radio', { name: 'OneRoster zip' }).check();
    await tab.page.getByRole('button', { name: 'Choose a file' }).press('Enter');
    const chooser = await chooserOpened;
    await chooser.setFiles(zip);
    const result = tab.page.locator('[data-import-result="previewed"]');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.innerText()).toContain('maple-valley-roster.zip');
    const people = tab.page.locator('[data-count="people"]');
    expect(await people.locator('[data-count-of="created"]').innerText()).toBe('1');
    expect(await tab.page.locator('[data-count="contacts"] [data-count-of="created"]').innerText()).toBe('1');
    expect(await tab.page.locator('[data-problem]').count()).toBe(0);
    // Nothing is written by a dry run.
    const db = dashboard.kiosk.server.cubby.db;
    expect(await db.selectFrom('people').select('id').where('student_number', '=', '90417').execute()).toEqual([]);
    await tab.capture('import-preview', { fullPage: true });

    const apply = tab.page.getByRole('button', { name: 'Apply' });
    expect(await apply.isEnabled()).toBe(true);
    await apply.click();
    await tab.page.locator('[data-import-result="applied"]').waitFor({ timeout: 30_000 });
    expect(await tab.page.locator('[data-count="people"] [data-count-of="created"]').innerText()).toBe('1');
    const history = tab.page.locator('[data-import-history] [data-import-run]');
    await tab.page.locator('[data-import-history] [data-import-run="applied"]').waitFor();
    expect(await history.count()).toBe(1);
    expect(await history.first().innerText()).toMatch(/Dana District[\s\S]*maple-valley-roster\.zip[\s\S]*OneRoster zip/);
    await tab.capture('import-applied', { fullPage: true });

    const student = await db.selectFrom('people').select('id').where('student_number', '=', '90417').executeTakeFirstOrThrow();
    await tab.goto(`people/${student.id}`);
    expect(await tab.heading()).toBe('Inés Mora');
    const contacts = tab.page.locator('[data-person-contacts]');
    await contacts.locator('[data-contact]').waitFor();
    expect(await contacts.innerText()).toMatch(/Rosa Mora[\s\S]*Guardian[\s\S]*rosa\.mora@example\.org[\s\S]*\+1 512 555 0142/);
    await tab.capture('person-contacts', { fullPage: true });
  });

  it('a zip with a bad grade shows its file, line and column, in Spanish, and Apply stays disabled', async () => {
    const dashboard = await suite.start();
    const zip = await rosterZip('roster-grade-13.zip', '13');
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.page.getByLabel('Language').selectOption('es');
    await tab.page.getByLabel(/^Correo electrónico/).fill(dashboard.users.district_admin.email);
    await tab.page.locator('input[autocomplete="current-password"]').fill(dashboard.users.district_admin.password);
    await tab.page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    await tab.page.locator('[data-page="overview"]').waitFor();
    await tab.page.getByRole('navigation').getByRole('link', { name: 'Importar' }).click();
    await tab.page.locator('[data-page="import"]').waitFor();
    // Dropped onto the page, as from the file manager.
    const bytes = [...readFileSync(zip)];
    // Built in the page (e2e/ has no DOM types): the dropped file's bytes and name.
    const drop = await tab.page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(${JSON.stringify(bytes)})], 'roster-grade-13.zip', { type: 'application/zip' }));
      return transfer;
    })()`);
    await tab.page.locator('[data-import-drop]').dispatchEvent('dragover', { dataTransfer: drop });
    await tab.page.locator('[data-import-drop]').dispatchEvent('drop', { dataTransfer: drop });
    const result = tab.page.locator('[data-import-result]');
    await result.waitFor({ timeout: 30_000 });
    const problem = tab.page.locator('[data-problem]').first();
    await problem.waitFor();
    expect(await problem.locator('td').first().innerText()).toBe('users.csv');
    expect(await problem.locator('[data-problem-line]').innerText()).toBe('2');
    expect(await problem.locator('[data-problem-column]').innerText()).toBe('grades');
    expect(await problem.innerText()).toContain("'13'");
    expect(await tab.page.getByRole('button', { name: 'Aplicar' }).isDisabled()).toBe(true);
    await tab.page.getByText('No se puede aplicar mientras el archivo tenga problemas.').waitFor();
    await tab.page.locator('[data-import-history] [data-import-run]').first().waitFor();
    await tab.capture('import-problem-es', { fullPage: true });
    const db = dashboard.kiosk.server.cubby.db;
    expect(await db.selectFrom('people').select('id').where('student_number', '=', '90417').execute()).toEqual([]);
  });
});
