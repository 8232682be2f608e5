import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

const suite = useDashboardSuite();

describe('settings, as a district admin', { timeout: 90_000 }, () => {
  it('adds a campus and a station, shows an enrollment code once, saves the policy, adds a user and an API token', async () => {
    const dashboard = await suite.start();
    const db = dashboard.kiosk.server.cubby.db;
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    await tab.page.getByRole('link', { name: 'Settings' }).click();
    await tab.page.locator('[data-page="settings-sites"] [data-site]').first().waitFor();
    await tab.capture('settings-sites');
    await tab.page.getByRole('button', { name: 'Add a campus' }).click();
    const dialog = tab.page.getByRole('dialog');
    await dialog.getByLabel(/^Name/).fill('Cedar Elementary');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await tab.page.locator('[data-site="Cedar Elementary"]').waitFor();

    await tab.page.getByRole('tab', { name: 'Stations' }).click();
    await tab.page.locator('[data-station="Library"]').waitFor();
    await tab.page.getByRole('button', { name: 'Add a station' }).click();
    await dialog.getByLabel(/^Name/).fill('Gym lobby');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await tab.page.locator('[data-station="Gym lobby"]').waitFor();
    await tab.page.locator('[data-station="Gym lobby"]').getByRole('button', { name: 'Enrollment code' }).click();
    const code = await tab.page.locator('[data-secret]').innerText();
    expect(code.length).toBeGreaterThan(5);
    await tab.capture('settings-enrollment-code');
    await dialog.getByRole('button', { name: 'Close' }).last().click();

    await tab.page.getByRole('tab', { name: 'Loan policy' }).click();
    await tab.page.getByLabel('Loaners one student may hold at once').fill('2');
    await tab.page.getByRole('button', { name: 'Save' }).click();
    await tab.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await tab.capture('settings-policy');

    await tab.page.getByRole('tab', { name: 'Users and roles' }).click();
    await tab.page.locator('[data-user]').first().waitFor();
    await tab.page.getByRole('button', { name: 'Add a user' }).click();
    await dialog.getByLabel(/^Name/).fill('Lee Librarian');
    await dialog.getByLabel(/^Email/).fill('lee@district.test');
    await dialog.getByLabel('Role').selectOption('site_admin');
    await dialog.getByLabel('Maple Valley High').check();
    await dialog.locator('input[autocomplete="new-password"]').fill('a long temporary password');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await tab.page.locator('[data-user="lee@district.test"]').waitFor();
    const lee = await db
      .selectFrom('users')
      .select(['role', 'site_ids'])
      .where('email', '=', 'lee@district.test')
      .executeTakeFirstOrThrow();
    expect(lee.role).toBe('site_admin');
    await tab.capture('settings-users');

    await tab.page.getByRole('tab', { name: 'API tokens' }).click();
    await tab.page.getByRole('button', { name: 'Create a token' }).click();
    await dialog.getByLabel(/^Name/).fill('Help desk');
    // Integrations never get to manage users or tokens: not even offered.
    expect(await dialog.getByLabel('Read stations and devices', { exact: true }).isChecked()).toBe(true);
    expect(await dialog.getByLabel('Manage users', { exact: true }).count()).toBe(0);
    expect(await dialog.getByLabel('Manage API tokens', { exact: true }).count()).toBe(0);
    await dialog.getByLabel('Maple Valley High').check();
    await dialog.getByRole('button', { name: 'Create' }).click();
    const token = await tab.page.locator('[data-secret]').innerText();
    expect(token).toMatch(/^cat_/);
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await tab.page.locator('[data-token="Help desk"]').waitFor();
    expect(await tab.page.locator('[data-token="Help desk"]').innerText()).toMatch(
      /Read stations and devices[\s\S]*Maple Valley High/,
    );
    const helpDesk = await db
      .selectFrom('api_tokens')
      .select(['scopes', 'site_ids'])
      .where('name', '=', 'Help desk')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(String(helpDesk.site_ids))).toEqual([dashboard.kiosk.siteId]);
    await tab.capture('settings-tokens');
    await tab.page.locator('[data-token="Help desk"]').getByRole('button', { name: 'Revoke' }).click();
    await tab.page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await tab.page.locator('[data-token="Help desk"]').waitFor({ state: 'detached' });
  });
});
