import type { StaffRole } from '@cubby/core';
import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

const suite = useDashboardSuite();

const everything = [
  'Overview',
  'Devices',
  'People',
  'Loans',
  'Repairs',
  'Repair board',
  'Tasks',
  'Capacity',
  'Audit log',
  'Settings',
];

/** What each role sees (ARCHITECTURE §8, docs/dashboard-api.md), and what it is politely refused. */
const roles: {
  role: StaffRole;
  nav: string[];
  settings: string[];
  campuses: string[];
  operates: boolean;
  refused: string[];
}[] = [
  {
    role: 'district_admin',
    nav: [
      'Overview',
      'Devices',
      'People',
      'Loans',
      'Repairs',
      'Repair board',
      'Tasks',
      'Capacity',
      'Audit log',
      'Import',
      'Settings',
    ],
    settings: [
      'Campuses',
      'Stations',
      'Loan policy',
      'Charging',
      'Users and roles',
      'API tokens',
      'Retention',
      'Google',
      'Email',
    ],
    campuses: ['Maple Valley High', 'Oak Ridge Middle'],
    operates: true,
    refused: [],
  },
  {
    role: 'site_admin',
    nav: everything,
    settings: ['Campuses', 'Stations'],
    campuses: ['Maple Valley High'],
    operates: true,
    refused: [
      'settings/users',
      'settings/tokens',
      'settings/policy',
      'settings/charging',
      'settings/retention',
      'settings/google',
      'settings/email',
      'import',
    ],
  },
  {
    role: 'technician',
    nav: ['Overview', 'Devices', 'Loans', 'Repairs', 'Repair board', 'Tasks', 'Capacity'],
    settings: [],
    campuses: ['Maple Valley High'],
    operates: true,
    refused: ['people', 'audit', 'settings'],
  },
  {
    role: 'auditor',
    nav: ['Overview', 'Devices', 'People', 'Loans', 'Repairs', 'Repair board', 'Capacity', 'Audit log'],
    settings: [],
    campuses: ['Maple Valley High', 'Oak Ridge Middle'],
    operates: false,
    refused: ['settings', 'settings/users'],
  },
];

describe('each role sees exactly its part', { timeout: 90_000 }, () => {
  it.each(roles)('$role', async ({ role, nav, settings, campuses, operates, refused }) => {
    const dashboard = await suite.start();
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users[role]);
    expect(await tab.navLinks()).toEqual(nav);
    await tab.page.locator('[data-campus]').first().waitFor();
    expect(await tab.page.locator('[data-campus]').evaluateAll((els) => els.map((e) => e.getAttribute('data-campus')))).toEqual(
      campuses,
    );

    await tab.goto(`stations/${dashboard.kiosk.station.stationId}`);
    await tab.page.locator('.door[data-number="1"]').click();
    await tab.page.locator('[data-details="1"]').waitFor();
    expect(await tab.page.getByRole('button', { name: 'Open door…' }).count()).toBe(operates ? 1 : 0);
    expect(await tab.page.getByRole('button', { name: 'Take out of service' }).count()).toBe(operates ? 1 : 0);

    if (settings.length > 0) {
      await tab.goto('settings');
      expect(await tab.page.getByRole('tab').allInnerTexts()).toEqual(settings);
    }
    for (const path of refused) {
      await tab.goto(path);
      expect(await tab.heading(), `${role} at /${path}`).toBe('You don’t have access');
    }
    if (role === 'technician') {
      await tab.goto('people');
      await tab.capture('no-access');
    }
    if (role === 'site_admin') {
      // Another campus's station does not exist for a campus admin.
      const other = await dashboard.kiosk.server.cubby.db
        .selectFrom('stations')
        .select('id')
        .where('site_id', '=', dashboard.otherSiteId)
        .executeTakeFirstOrThrow();
      await tab.page.goto(`${tab.base}stations/${other.id}`);
      await tab.page.getByRole('alert').filter({ hasText: 'That was not found' }).waitFor();
    }
    expect(tab.errors).toEqual([]);
  });
});
