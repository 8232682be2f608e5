import { describe, expect, it } from 'vitest';
import { signIn } from '../packages/server/src/testing/users.js';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

const suite = useDashboardSuite();

/**
 * The device list's bulk actions (issue 14): tick rows, record a wipe for all
 * of them; a selection with a device that cannot be retired changes nothing
 * and says which one and why, in English and Spanish.
 */
describe('bulk actions on the device list, as a campus admin', { timeout: 120_000 }, () => {
  it('ticks devices, records a wipe for all, and lists the one a retirement refuses', async () => {
    const dashboard = await suite.start();
    const db = dashboard.kiosk.server.cubby.db;
    // The harness's loaners sit in their doors; two spares of the campus sit in the IT office.
    const loaner = await db
      .selectFrom('devices')
      .select(['id', 'asset_tag'])
      .where('status', '=', 'available')
      .orderBy('asset_tag')
      .executeTakeFirstOrThrow();
    await db.updateTable('devices').set({ site_id: dashboard.kiosk.siteId }).execute();
    const app = dashboard.kiosk.server.app;
    const admin = await signIn(app, dashboard.users.site_admin);
    for (const assetTag of ['CB-SPARE-1', 'CB-SPARE-2']) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/v1/devices',
        headers: admin.headers,
        payload: {
          assetTag,
          serial: null,
          model: 'Dell Chromebook 3110',
          pool: 'assigned',
          siteId: dashboard.kiosk.siteId,
          condition: 'good',
          warrantyEnd: null,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.site_admin);
    await tab.goto('devices?q=CB-SPARE');
    await tab.page.locator('table[data-rows="2"]').waitFor();
    await tab.page.getByRole('checkbox', { name: 'Select every row on this page' }).check();
    await tab.page.getByRole('region', { name: '2 selected' }).waitFor();
    await tab.page.getByRole('button', { name: 'Record a wipe' }).click();
    const dialog = tab.page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Apply to 2 devices' }).click();
    await dialog.waitFor({ state: 'detached' });
    await tab.page.getByRole('region', { name: /selected/ }).waitFor({ state: 'detached' });
    const wiped = await db
      .selectFrom('devices')
      .select(['asset_tag', 'wiped_at'])
      .where('asset_tag', 'like', 'CB-SPARE-%')
      .execute();
    expect(wiped.every((d) => d.wiped_at !== null)).toBe(true);

    // A loaner in its door cannot be retired: nothing changes, and the dialog says which and why.
    await tab.goto('devices');
    await tab.page.locator('table[data-rows="4"]').waitFor();
    await tab.page.getByRole('checkbox', { name: `Select ${loaner.asset_tag}` }).check();
    await tab.page.getByRole('checkbox', { name: 'Select CB-SPARE-1' }).check();
    await tab.page.getByRole('button', { name: 'Retire' }).click();
    await dialog.getByRole('button', { name: 'Apply to 2 devices' }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain(`${loaner.asset_tag}: This device is in a locker right now. Take it out first.`);
    expect(await db.selectFrom('devices').select('status').where('status', '=', 'retired').execute()).toEqual([]);
    await tab.capture('device-bulk-refused');

    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await tab.page.getByLabel('Language').selectOption('es');
    await tab.page.getByRole('region', { name: '2 seleccionados' }).waitFor();
    await tab.page.getByRole('button', { name: 'Dar de baja' }).click();
    await dialog.getByRole('button', { name: 'Aplicar a 2 dispositivos' }).click();
    await dialog.getByRole('alert').waitFor();
    expect(await dialog.getByRole('alert').innerText()).toContain('No se cambió nada');
    await tab.capture('device-bulk-refused-es');
  });
});
