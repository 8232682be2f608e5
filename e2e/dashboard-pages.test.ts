import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

const suite = useDashboardSuite();

describe('the dashboard, page by page, as a district admin', { timeout: 90_000 }, () => {
  it('signs in and shows the district overview with both campuses and a chart', async () => {
    const dashboard = await suite.start();
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.page.getByRole('heading', { name: 'Sign in to Cubby' }).waitFor();
    await tab.capture('sign-in');
    await tab.signIn(dashboard.users.district_admin);
    expect(await tab.heading()).toBe('District overview');
    await tab.page.locator('[data-chart] svg').waitFor();
    expect(await tab.page.locator('[data-campus]').evaluateAll((els) => els.map((e) => e.getAttribute('data-campus')))).toEqual([
      'Maple Valley High',
      'Oak Ridge Middle',
    ]);
    await tab.capture('overview', { fullPage: true });
  });
});

describe('the station page', { timeout: 90_000 }, () => {
  it('draws the bank as its grid, and opens a door remotely with a reason', async () => {
    const dashboard = await suite.start();
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    await tab.page.getByRole('link', { name: 'Library' }).click();
    await tab.page.locator('[data-page="station"]').waitFor();
    expect(await tab.page.locator('.door').count()).toBe(12);
    expect(await tab.page.locator('.door[data-number="1"]').getAttribute('data-status')).toBe('loaded');
    await tab.page.locator('.door[data-number="1"]').click();
    await tab.page.locator('[data-details="1"]').waitFor();
    expect(await tab.page.locator('[data-details="1"]').innerText()).toContain(dashboard.kiosk.loaners[0]!.assetTag);
    await tab.capture('station', { fullPage: true });

    await tab.page.getByRole('button', { name: 'Open door…' }).click();
    const dialog = tab.page.getByRole('dialog');
    await dialog.getByLabel(/^Reason/).fill('Student left their charger inside');
    await tab.capture('station-open-dialog');
    await dialog.getByRole('button', { name: 'Open the door' }).click();
    await expect.poll(() => dashboard.kiosk.bank.door(1), { timeout: 5000 }).toBe('open');
    await tab.page.getByRole('status').filter({ hasText: 'Locker 1 is opening.' }).waitFor();
    expect(await dashboard.kiosk.auditActions()).toContain('compartment.remote_open');
    dashboard.kiosk.bank.closeDoor(1);

    await tab.page.locator('.door[data-number="5"]').click();
    await tab.page.getByRole('button', { name: 'Take out of service' }).click();
    await tab.page
      .getByRole('dialog')
      .getByLabel(/^Reason/)
      .fill('Hinge is loose');
    await tab.page.getByRole('dialog').getByRole('button', { name: 'Take out of service' }).click();
    await expect
      .poll(() => tab.page.locator('.door[data-number="5"]').getAttribute('data-status'), { timeout: 5000 })
      .toBe('out_of_service');
    expect((await dashboard.kiosk.compartment(5)).status).toBe('out_of_service');
  });
});

describe('the lists', { timeout: 90_000 }, () => {
  it('devices, people, loans, repairs and the audit log search, filter, sort, page and export CSV', async () => {
    const dashboard = await suite.start();
    await dashboard.kiosk.aStudent({ givenName: 'Ivy', badge: '4100070' });
    await dashboard.kiosk.borrowed('4100070');
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);

    await tab.page.getByRole('link', { name: 'Devices' }).click();
    await tab.page.locator('[data-page="devices"] table[data-rows="2"]').waitFor();
    await tab.page.getByRole('button', { name: /Asset tag/ }).click();
    await tab.page.waitForURL(/sort=assetTag/);
    await tab.page.getByLabel('Status').selectOption('on_loan');
    await tab.page.locator('table[data-rows="1"]').waitFor();
    const csv = await tab.page.request.get(
      await tab.page
        .locator('[data-export]')
        .getAttribute('href')
        .then((h) => new URL(h!, tab.base).href),
    );
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect((await csv.text()).split('\n').filter(Boolean)).toHaveLength(2);
    await tab.capture('devices');

    await tab.page.getByRole('link', { name: 'People' }).click();
    await tab.page.locator('[data-page="people"] table').waitFor();
    await tab.page.getByLabel(/^Search/).fill('Ivy');
    await tab.page.waitForURL(/q=Ivy/);
    await tab.page.locator('table[data-rows="1"]').waitFor();
    await tab.capture('people');

    await tab.page.getByRole('link', { name: 'Loans' }).click();
    await tab.page.locator('[data-page="loans"] table[data-rows="1"]').waitFor();
    expect(await tab.page.locator('table tbody').innerText()).toContain('Ivy');
    await tab.capture('loans');
    await tab.page.getByText('History', { exact: true }).click();
    await tab.page.locator('table[data-rows="0"]').waitFor();

    await tab.page.getByRole('link', { name: 'Repairs' }).click();
    await tab.page.locator('[data-page="repairs"] table').waitFor();
    await tab.capture('repairs');

    await tab.page.getByRole('link', { name: 'Audit log' }).click();
    await tab.page.locator('[data-page="audit"] table').waitFor();
    expect(await tab.page.locator('table tbody').innerText()).toContain('loan.started');
    await tab.capture('audit');
  });

  it('pages with the cursor, next and previous', async () => {
    const dashboard = await suite.start({ loaners: Array.from({ length: 12 }, () => 90) });
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    await tab.page.route(/\/api\/v1\/devices\?/, (route) =>
      route.continue({ url: route.request().url().replace('limit=50', 'limit=5') }),
    );
    await tab.goto('devices');
    await tab.page.locator('table[data-rows="5"]').waitFor();
    const first = await tab.page.locator('table tbody tr').first().innerText();
    await tab.page.getByRole('button', { name: 'Next page' }).click();
    await tab.page.getByText('Page 2').waitFor();
    await tab.page.locator('table[aria-busy="false"]').waitFor();
    expect(await tab.page.locator('table tbody tr').first().innerText()).not.toBe(first);
    await tab.page.getByRole('button', { name: 'Next page' }).click();
    await tab.page.locator('table[data-rows="2"]').waitFor();
    expect(await tab.page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await tab.page.getByRole('button', { name: 'Previous page' }).click();
    await tab.page.getByRole('button', { name: 'Previous page' }).click();
    await tab.page.getByText('Page 1').waitFor();
    await tab.page.locator('table[aria-busy="false"]').waitFor();
    expect(await tab.page.locator('table tbody tr').first().innerText()).toBe(first);
  });
});
