import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

const suite = useDashboardSuite();

/** docs/privacy.md: a person's export and erasure from the People list. */
describe('privacy on the People list', { timeout: 120_000 }, () => {
  it('a district admin downloads a student’s record and erases them; a loaner out refuses it', async () => {
    const dashboard = await suite.start();
    const rosalind = await dashboard.kiosk.aStudent({ givenName: 'Rosalind', studentNumber: '30417', badge: '4100081' });
    await dashboard.kiosk.aStudent({ givenName: 'Ivy', studentNumber: '30418', badge: '4100070' });
    await dashboard.kiosk.borrowed('4100070');
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    await tab.goto('people?q=Rosalind');
    await tab.page.locator('table[data-rows="1"]').waitFor();

    const [download] = await Promise.all([
      tab.page.waitForEvent('download'),
      tab.page.getByRole('link', { name: 'Export CSV: everything Cubby holds about Rosalind Test' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^person-${rosalind.personId}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    const json = await tab.page.request.get(
      new URL((await tab.page.locator('[data-privacy-export="json"]').getAttribute('href'))!, tab.base).href,
    );
    expect((await json.json()).person).toMatchObject({ givenName: 'Rosalind', studentNumber: '30417' });

    await tab.page.getByRole('button', { name: 'Erase Rosalind Test' }).click();
    const dialog = tab.page.getByRole('dialog');
    await dialog.getByLabel(/Type the student number 30417/).fill('30417');
    await tab.capture('people-erase-dialog');
    await dialog.getByRole('button', { name: 'Erase for good' }).click();
    await dialog
      .getByRole('status')
      .filter({ hasText: /Erased\. The history is kept as “Erased student [0-9a-f]{8}”/ })
      .waitFor();
    await dialog.getByRole('button', { name: 'Close', exact: true }).last().click();
    await tab.goto('people');
    await tab.page.locator('table tbody').getByText('Erased', { exact: true }).waitFor();
    expect(await tab.page.locator('table tbody').innerText()).not.toContain('Rosalind');
    expect(await dashboard.kiosk.auditActions()).toEqual(expect.arrayContaining(['person.privacy_exported', 'person.erased']));
    await tab.capture('people-erased');

    await tab.page.getByRole('button', { name: 'Erase Ivy Test' }).click();
    await dialog.getByLabel(/Type the student number 30418/).fill('30418');
    await dialog.getByRole('button', { name: 'Erase for good' }).click();
    await dialog.getByRole('alert').filter({ hasText: 'still has a loaner out' }).waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    await tab.goto('settings/retention');
    await tab.page.getByLabel(/^Erase people off the roster after/).fill('3');
    await tab.page.getByRole('button', { name: 'Save' }).click();
    await tab.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = await tab.page.request.get(new URL('../api/v1/retention', tab.base).href);
    expect(await saved.json()).toEqual({ eraseInactiveAfterYears: 3 });
    await tab.capture('settings-retention');
  });

  it('not at all for a site admin; in Spanish for a district admin', async () => {
    const dashboard = await suite.start();
    await dashboard.kiosk.aStudent({ givenName: 'Rosalind', studentNumber: '30417', badge: '4100081' });
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.site_admin);
    await tab.goto('people');
    await tab.page.locator('[data-page="people"] table[data-rows]').waitFor();
    expect(await tab.page.locator('table thead').innerText()).not.toContain('Privacy');
    expect(await tab.page.locator('[data-privacy-export], [data-privacy-erase]').count()).toBe(0);

    await tab.page.context().clearCookies();
    await tab.page.goto(dashboard.url);
    await tab.page.getByLabel('Language').selectOption('es');
    await tab.page.getByLabel(/^Correo electrónico/).fill(dashboard.users.district_admin.email);
    await tab.page.locator('input[autocomplete="current-password"]').fill(dashboard.users.district_admin.password);
    await tab.page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    await tab.page.locator('[data-page="overview"]').waitFor();
    await tab.goto('people?q=Rosalind');
    await tab.page.locator('table[data-rows="1"]').waitFor();
    expect(await tab.page.locator('table thead').innerText()).toContain('Privacidad');
    await tab.page.getByRole('button', { name: 'Borrar a Rosalind Test' }).click();
    await tab.page
      .getByRole('dialog')
      .getByLabel(/Escriba el número de estudiante 30417/)
      .waitFor();
    await tab.capture('people-erase-dialog-es');
  });
});
