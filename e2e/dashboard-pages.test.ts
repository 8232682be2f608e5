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
