import { afterEach, describe, expect, it } from 'vitest';
import { aChromeOsDevice, FakeGoogle } from '../packages/server/src/testing/fake-google.js';
import { aDeviceOnRecord } from '../packages/server/src/testing/google-world.js';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

// The function given to page.evaluate runs in the page.
declare const localStorage: { setItem(key: string, value: string): void };
const suite = useDashboardSuite();
let google: FakeGoogle | undefined;
afterEach(async () => google?.close());

describe('Settings → Google, as a district admin', { timeout: 120_000 }, () => {
  it('connects with a service account key (never shown again), tests, syncs, shows what did not match and a failed sync; in Spanish too', async () => {
    google = await new FakeGoogle().start();
    const dashboard = await suite.start();
    const cubby = dashboard.kiosk.server.cubby;
    await aDeviceOnRecord(cubby, { serial: '5CD0000MATCH', asset_tag: 'LN-7001' });
    await aDeviceOnRecord(cubby, { serial: '5CD0000GONE', asset_tag: 'LN-7002' });
    google.chromeOsDevices = [
      aChromeOsDevice({ serialNumber: '5CD0000MATCH' }),
      aChromeOsDevice({ serialNumber: '5CD9999NEW', annotatedAssetId: 'LN-9999', model: 'Acer Chromebook 311' }),
    ];
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    await tab.goto('settings/google');
    await tab.page.getByText('Not connected.').waitFor();
    await tab.capture('settings-google-new');

    await tab.page.getByLabel('Service account key (JSON)').fill(google.serviceAccountKey());
    await tab.page.getByLabel(/^Admin to act as/).fill(google.adminEmail);
    await tab.page.getByLabel('Directory API base URL').fill(google.url);
    await tab.page.getByLabel('Telemetry API base URL').fill(google.url);
    await tab.page.getByRole('button', { name: 'Connect' }).click();
    await tab.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await tab.page.getByText(`Connected as ${google.clientEmail}.`).waitFor();
    expect(await tab.page.getByLabel('Service account key (JSON)').inputValue()).toBe('');
    expect(await tab.page.content()).not.toContain('PRIVATE KEY');

    await tab.page.getByRole('button', { name: 'Test the connection' }).click();
    await tab.page.locator('[data-test-result]').filter({ hasText: 'Google answered' }).waitFor();
    await tab.page.getByRole('button', { name: 'Sync now' }).click();
    await tab.page.locator('[data-sync-result]').filter({ hasText: 'Sync done: 1 of 2 devices matched' }).waitFor();
    await tab.page.locator('[data-sync-run="succeeded"]').waitFor();
    expect(await tab.page.locator('[data-unmatched="onlyInGoogle"]').innerText()).toMatch(/5CD9999NEW[\s\S]*LN-9999[\s\S]*Acer/);
    expect(await tab.page.locator('[data-unmatched="onlyInCubby"]').innerText()).toContain('LN-7002');
    await tab.capture('settings-google', { fullPage: true });

    google.fail({ api: 'directory', status: 403, times: 5 });
    await tab.page.getByRole('button', { name: 'Sync now' }).click();
    await tab.page
      .getByRole('alert')
      .filter({ hasText: /The sync failed: .*HTTP 403/ })
      .waitFor();
    await tab.page.locator('[data-sync-run="failed"]').waitFor();
    await tab.capture('settings-google-failed', { fullPage: true });

    await tab.page.evaluate(() => localStorage.setItem('cubby.dashboard.language', 'es'));
    await tab.goto('settings/google');
    await tab.page.getByText(`Conectado como ${google.clientEmail}.`).waitFor();
    await tab.page.locator('[data-sync-run="failed"]').getByText('Fallida').waitFor();
    await tab.capture('settings-google-es', { fullPage: true });
    await tab.page.evaluate(() => localStorage.setItem('cubby.dashboard.language', 'en'));
  });
});
