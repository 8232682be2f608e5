import { sealAuditChain } from '@cubby/db';
import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite, type Dashboard } from './dashboard-harness.js';

const suite = useDashboardSuite({ timezoneId: 'America/New_York' });

/** Students of the first campus (the harness's students belong to none), as a campus admin sees them. */
async function atCampus(dashboard: Dashboard, personIds: string[]) {
  await dashboard.kiosk.server.cubby.db
    .updateTable('people')
    .set({ site_id: dashboard.kiosk.siteId })
    .where('id', 'in', personIds)
    .execute();
}

async function signInSpanish(tab: DashboardPage, dashboard: Dashboard, user: { email: string; password: string }) {
  await tab.page.getByLabel('Language').selectOption('es');
  await tab.page.getByLabel(/^Correo electrónico/).fill(user.email);
  await tab.page.locator('input[autocomplete="current-password"]').fill(user.password);
  await tab.page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
  await tab.page.locator('[data-page="overview"]').waitFor();
}

/** docs/dashboard.md "Person and device pages": profiles, timelines, changes by hand, PINs. */
describe('person and device pages', { timeout: 180_000 }, () => {
  it('a campus admin opens a student from the People list, sees their loan, gives a new PIN and deactivates them', async () => {
    const dashboard = await suite.start();
    const maya = await dashboard.kiosk.aStudent({ givenName: 'Maya', studentNumber: '20931', badge: '4100091' });
    await atCampus(dashboard, [maya.personId]);
    await dashboard.kiosk.borrowed('4100091');
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.site_admin);
    await tab.goto('people?q=Maya');
    await tab.page.getByRole('link', { name: 'Test', exact: true }).click();
    await tab.page.locator('[data-page="person"]').waitFor();
    expect(await tab.heading()).toBe('Maya Test');
    const loans = tab.page.locator('[data-person-list="loans"] table');
    await loans.waitFor();
    expect(await loans.innerText()).toContain(dashboard.kiosk.loaners[0]!.assetTag);
    expect(await loans.innerText()).toMatch(/CST|CDT/);
    expect(await tab.page.locator('[data-page="person"]').innerText()).not.toMatch(/argon2|hash/i);
    await tab.capture('person', { fullPage: true });

    await tab.page.getByRole('button', { name: 'Reset PIN' }).click();
    await tab.page.getByRole('dialog').getByRole('button', { name: 'Make a new PIN' }).click();
    const secret = tab.page.locator('[data-secret]');
    await secret.waitFor();
    const pin = (await secret.innerText()).trim();
    expect(pin).toMatch(/^[0-9]{6}$/);
    await tab.capture('person-new-pin');
    expect(await dashboard.kiosk.agent.signIn({ studentNumber: '20931', pin })).toMatchObject({ person: { givenName: 'Maya' } });
    dashboard.kiosk.agent.signOut();
    await tab.page.getByRole('dialog').getByRole('button', { name: 'Close', exact: true }).last().click();

    await tab.page.getByRole('button', { name: 'Deactivate' }).click();
    await tab.page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await tab.page.locator('[data-person-active="false"]').waitFor();
    await expect(dashboard.kiosk.agent.signIn({ badge: '4100091' })).rejects.toMatchObject({ code: 'not_eligible' });
    await tab.page.getByRole('button', { name: 'Reactivate' }).click();
    await tab.page.locator('[data-person-active="true"]').waitFor();
    expect(await dashboard.kiosk.auditActions()).toEqual(
      expect.arrayContaining(['person.pin_reset', 'person.deactivated', 'person.reactivated']),
    );

    // Another campus's student is not found; a technician has no People pages.
    const other = await dashboard.kiosk.aStudent({ givenName: 'Oscar', studentNumber: '20932' });
    await dashboard.kiosk.server.cubby.db
      .updateTable('people')
      .set({ site_id: dashboard.otherSiteId })
      .where('id', '=', other.personId)
      .execute();
    await tab.goto(`people/${other.personId}`);
    expect(await tab.heading()).toBe('Page not found');
  });

  it('a device page shows where the loaner is, its battery reading and its timeline; add, edit, assign and unassign', async () => {
    const dashboard = await suite.start();
    const leo = await dashboard.kiosk.aStudent({ givenName: 'Leo', studentNumber: '20940', badge: '4100095' });
    await atCampus(dashboard, [leo.personId]);
    await dashboard.kiosk.borrowed('4100095');
    await sealAuditChain(dashboard.kiosk.server.cubby);
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    const loaner = dashboard.kiosk.loaners[0]!;
    await tab.goto('loans');
    await tab.page.getByRole('link', { name: loaner.assetTag }).first().click();
    await tab.page.locator('[data-page="device"]').waitFor();
    const timeline = tab.page.locator('[data-timeline] table');
    await timeline.waitFor();
    expect(await timeline.innerText()).toContain(`Leo Test borrowed loaner ${loaner.assetTag} at Library station`);
    await tab.capture('device-loaner', { fullPage: true });
    // The second loaner is in its locker: its place links to the station, its battery says where the reading came from.
    await tab.goto(`devices/${dashboard.kiosk.loaners[1]!.deviceId}`);
    await tab.page.getByRole('link', { name: 'Library station, locker 2' }).waitFor();
    expect(await tab.page.locator('[data-page="device"]').innerText()).toMatch(/80%, measured/);

    await tab.goto('devices');
    await tab.page.getByRole('button', { name: 'Add a device' }).click();
    const dialog = tab.page.getByRole('dialog');
    await dialog.getByLabel(/^Asset tag/).fill('CB-2041');
    await dialog.getByLabel(/^Serial/).fill('NXHQ2041');
    await dialog.getByLabel(/^Model/).fill('Acer Chromebook 311');
    await dialog.getByLabel(/^Pool/).selectOption('assigned');
    await dialog.getByLabel(/^Home campus/).selectOption({ label: 'Maple Valley High' });
    await dialog.getByLabel(/^Warranty ends/).fill('2027-06-30');
    await tab.capture('device-add');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await tab.page.locator('[data-device="CB-2041"]').waitFor();
    expect(await tab.page.locator('[data-page="device"]').innerText()).toMatch(/Until Jun 30, 2027 \(\d+ days left\)/);

    await tab.page.getByRole('button', { name: 'Edit' }).click();
    await dialog.getByLabel(/^Condition/).fill('cracked hinge');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await tab.page.getByText('cracked hinge').waitFor();

    await tab.page.getByRole('button', { name: 'Assign to a student' }).click();
    await dialog.getByLabel('Find a student').fill('Leo');
    await dialog.locator('[data-student="Leo Test"]').waitFor();
    await tab.capture('device-assign');
    await dialog.locator('[data-student="Leo Test"]').click();
    await tab.page.getByRole('link', { name: 'Leo Test' }).waitFor();
    await sealAuditChain(dashboard.kiosk.server.cubby);
    await tab.goto(tab.page.url().split('/dashboard/')[1]!);
    await tab.page.locator('[data-event="device.assigned"]').waitFor();
    expect(await timeline.innerText()).toContain('Dana District made CB-2041 the own device of Leo Test');
    await tab.capture('device-assigned', { fullPage: true });
    // The kiosk knows it as Leo's: the menu offers to leave it for repair (a swap waits for his loaner to come back).
    expect(await dashboard.kiosk.agent.signIn({ badge: '4100095' })).toMatchObject({ choices: { dropOff: { allowed: true } } });
    dashboard.kiosk.agent.signOut();

    // A loaner on loan cannot be assigned: the refusal says why.
    await tab.goto(`devices/${loaner.deviceId}`);
    await tab.page.getByRole('button', { name: 'Assign to a student' }).click();
    await dialog.getByLabel('Find a student').fill('Leo');
    await dialog.locator('[data-student="Leo Test"]').click();
    await dialog.getByRole('alert').filter({ hasText: 'This loaner is out on loan: it must be returned first.' }).waitFor();
    await dialog.getByRole('button', { name: 'Close' }).first().click();

    await tab.goto(`people/${leo.personId}`);
    await tab.page.locator('[data-own-device]').getByRole('link', { name: 'CB-2041' }).click();
    await tab.page.getByRole('button', { name: 'Unassign' }).click();
    await dialog.getByRole('button', { name: 'Unassign' }).click();
    await tab.page.getByText('Nobody', { exact: true }).waitFor();
  });

  it('prints a grade’s PIN sheet once, and the person and device pages read in Spanish', async () => {
    const dashboard = await suite.start();
    const ids = [];
    for (const [givenName, number] of [
      ['Ximena', '20951'],
      ['Álvaro', '20952'],
      ['Bea', '20953'],
    ] as const)
      ids.push((await dashboard.kiosk.aStudent({ givenName, studentNumber: number })).personId);
    await atCampus(dashboard, ids);
    await dashboard.kiosk.server.cubby.db
      .updateTable('people')
      .set({ family_name: 'Ortiz-Valenzuela' })
      .where('id', '=', ids[0]!)
      .execute();
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.site_admin);
    await tab.goto('people');
    await tab.page.getByRole('link', { name: 'PIN sheet for a class' }).click();
    await tab.page.locator('[data-page="pin-sheet"]').waitFor();
    await tab.page.getByLabel('Grade').selectOption('9');
    await tab.capture('pin-sheet-form');
    await tab.page.getByRole('button', { name: 'Make the PINs' }).click();
    await tab.page.getByRole('dialog').getByRole('button', { name: 'Make the PINs' }).click();
    await tab.page.locator('[data-page="pin-sheet-slips"]').waitFor();
    const slips = tab.page.locator('[data-slip]');
    expect(await slips.count()).toBe(3);
    const ximena = tab.page.locator('[data-slip="20951"]');
    const pin = (await ximena.locator('.pin-slip-pin').innerText()).trim();
    expect(await dashboard.kiosk.agent.signIn({ studentNumber: '20951', pin })).toMatchObject({
      person: { givenName: 'Ximena' },
    });
    dashboard.kiosk.agent.signOut();
    await tab.capture('pin-sheet', { fullPage: true });
    await tab.page.emulateMedia({ media: 'print' });
    await tab.page.screenshot({ path: 'e2e/screenshots/dashboard-pin-sheet-print.png', fullPage: true });
    expect(await tab.page.locator('.mantine-AppShell-navbar').isVisible()).toBe(false);
    await tab.page.emulateMedia({ media: 'screen' });
    // Shown once: back on the page, the PINs are gone.
    await tab.goto('people/pin-sheet');
    expect(await tab.page.locator('[data-slip]').count()).toBe(0);

    await tab.page.context().clearCookies();
    await tab.page.goto(dashboard.url);
    await signInSpanish(tab, dashboard, dashboard.users.site_admin);
    await tab.goto(`people/${ids[0]}`);
    await tab.page.locator('[data-page="person"]').waitFor();
    expect(await tab.page.locator('[data-page="person"]').innerText()).toContain('Restablecer PIN');
    await tab.capture('person-es', { fullPage: true });
    await tab.goto(`devices/${dashboard.kiosk.loaners[0]!.deviceId}`);
    await tab.page.locator('[data-timeline]').waitFor();
    expect(await tab.page.locator('[data-page="device"]').innerText()).toContain('Dónde está');
    await tab.capture('device-es', { fullPage: true });
  });
});
