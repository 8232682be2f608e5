import { anApiToken } from '../packages/server/src/testing/builders.js';
import { describe, expect, it } from 'vitest';
import { useKioskSuite } from './suite.js';
import { KioskPage, screenshotDir } from './kiosk-page.js';

const suite = useKioskSuite();

describe('the plain admin page', () => {
  it('shows every station and compartment and follows a borrow live, without a reload', async () => {
    const kiosk = await suite.start();
    const token = await anApiToken(kiosk.server.cubby);
    await kiosk.aStudent({ givenName: 'Ivy', badge: '4100070' });
    const page = await suite.browser.context.newPage();
    const admin = new KioskPage(page, 'admin');
    await page.goto(`${kiosk.server.url}/admin`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Show stations' }).click();
    const door1 = page.locator(`section[aria-label="Library"] li[data-number="1"]`);
    await door1.waitFor();
    expect(await page.locator('.badge').first().innerText()).toBe('online');
    expect(await door1.innerText()).toContain('loaded');

    const compartment = await kiosk.borrowed('4100070');
    const door = page.locator(`section[aria-label="Library"] li[data-number="${compartment}"]`);
    // The page re-renders every second: the locator looks the door up afresh each time.
    await expect.poll(() => door.innerText(), { timeout: 5000 }).toContain('empty');
    expect(await door.innerText()).toContain('no device');
    await page.screenshot({ path: `${screenshotDir}admin-stations.png` });
    expect(await admin.axeViolations()).toEqual([]);
    expect(admin.errors).toEqual([]);
  });

  it('refuses to show anything without a valid token', async () => {
    const kiosk = await suite.start();
    const page = await suite.browser.context.newPage();
    await page.goto(`${kiosk.server.url}/admin`);
    await page.getByLabel('API token').fill('cat_not-a-token');
    await page.getByRole('button', { name: 'Show stations' }).click();
    await page.getByRole('status').filter({ hasText: 'Could not load' }).waitFor();
    expect(await page.locator('section.station').count()).toBe(0);
  });
});
