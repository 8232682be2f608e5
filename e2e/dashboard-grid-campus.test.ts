import { aRepairReadyForPickup, anAssignedDevice, aStudent } from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

// These run in the page (see kiosk-page.ts).
declare const localStorage: { setItem(key: string, value: string): void };
declare function getComputedStyle(el: unknown): { backgroundColor: string };

const suite = useDashboardSuite();
// ISSUE12's widths: a school laptop and a tablet held upright.
const sizes = [
  ['laptop', { width: 1280, height: 800 }],
  ['tablet', { width: 820, height: 1180 }],
] as const;

/** Doors 1–2 hold loaners (90 % and 30 %, floor 50 %); 3 a broken device; 4 a repaired one; 5 a student's own, charging. */
async function aBankOfEveryKind() {
  return suite.start({
    loaners: [90, 30],
    policy: { minChargePercent: 50 },
    async seed({ server, districtId, station }) {
      const cubby = server.cubby;
      const owner = await aStudent(cubby, server.services.keys, districtId, { givenName: 'Omar' });
      const door = (n: number) => station.compartments[n - 1]!.id;
      const broken = await anAssignedDevice(cubby, districtId, owner.personId);
      await cubby.db.updateTable('devices').set({ status: 'awaiting_collection' }).where('id', '=', broken.deviceId).execute();
      await cubby.db
        .updateTable('compartments')
        .set({ status: 'loaded', device_id: broken.deviceId, presence: 1 })
        .where('id', '=', door(3))
        .execute();
      await aRepairReadyForPickup(cubby, districtId, owner.personId, door(4));
      const own = await anAssignedDevice(cubby, districtId, owner.personId);
      await cubby.db.updateTable('devices').set({ status: 'charging' }).where('id', '=', own.deviceId).execute();
      await cubby.db
        .updateTable('compartments')
        .set({ status: 'loaded', device_id: own.deviceId, presence: 1, charging: 1 })
        .where('id', '=', door(5))
        .execute();
    },
  });
}

const contentOf = (tab: DashboardPage, n: number) => tab.page.locator(`.door[data-number="${n}"]`).getAttribute('data-content');

describe('the station grid says what each door holds', { timeout: 120_000 }, () => {
  it('a loaner, a broken device, a repaired one and an empty door each look and read differently, in English and Spanish', async () => {
    const dashboard = await aBankOfEveryKind();
    await dashboard.kiosk.aStudent({ givenName: 'Ivy', badge: '4100071' });
    const borrowedDoor = await dashboard.kiosk.borrowed('4100071');
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    await tab.goto(`stations/${dashboard.kiosk.station.stationId}`);
    await tab.page.locator('.door').first().waitFor();
    expect(borrowedDoor).toBe(1);
    expect(await contentOf(tab, 1)).toBe('empty');
    expect(['loaner_charging', 'loaner_low']).toContain(await contentOf(tab, 2));
    expect(await contentOf(tab, 3)).toBe('awaiting_collection');
    expect(await contentOf(tab, 4)).toBe('awaiting_owner');
    expect(await contentOf(tab, 5)).toBe('own_device_charging');
    expect(await contentOf(tab, 6)).toBe('empty');
    const door3 = await tab.page.locator('.door[data-number="3"]').innerText();
    expect(door3).toContain('Broken device, awaiting collection');
    expect(door3).not.toContain('Loaded');
    expect(await tab.page.locator('.door[data-number="4"]').innerText()).toContain('Repaired, waiting for its owner');
    // The colour differs too, but is never the only cue: each kind has its own icon and words.
    const background = (n: number) =>
      tab.page.locator(`.door[data-number="${n}"]`).evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(new Set([await background(1), await background(3), await background(4), await background(5)]).size).toBe(4);

    // The empty door the loaner was taken from names the borrower as such, never "Held by".
    await tab.page.locator('.door[data-number="1"]').click();
    const details = tab.page.locator('[data-details="1"]');
    await details.waitFor();
    expect(await details.innerText()).toContain('Loaner taken by');
    expect(await tab.page.locator('#content').innerText()).not.toContain('Held by');
    await tab.capture('grid-contents-empty-door', { fullPage: true, sizes });
    await tab.page.locator('.door[data-number="3"]').click();
    expect(await tab.page.locator('[data-details="3"]').innerText()).toContain('It is not a loaner');
    await tab.capture('grid-contents-en', { fullPage: true, sizes });

    await tab.page.evaluate(() => localStorage.setItem('cubby.dashboard.language', 'es'));
    await tab.goto(`stations/${dashboard.kiosk.station.stationId}`);
    await tab.page.locator('.door[data-number="3"]').click();
    expect(await tab.page.locator('.door[data-number="3"]').innerText()).toContain('Equipo averiado, espera recogida');
    expect(await tab.page.locator('.door[data-number="4"]').innerText()).toContain('Reparado, espera a su dueño');
    await tab.capture('grid-contents-es', { fullPage: true, sizes });
  });
});

describe('lists open on open items, newest first, and remember the choice', { timeout: 120_000 }, () => {
  it('loans and repairs', async () => {
    const tags: string[] = [];
    const dashboard = await suite.start({
      loaners: [90, 80, 70],
      // Two open tickets (reported three days and one day ago) and one closed in October.
      async seed({ server, districtId, station }) {
        const cubby = server.cubby;
        const owner = await aStudent(cubby, server.services.keys, districtId, { givenName: 'Omar' });
        const day = 86_400_000;
        for (const [n, reportedAt, status] of [
          [10, Date.now() - 3 * day, 'ready_for_pickup'],
          [11, Date.now() - day, 'ready_for_pickup'],
          [12, Date.UTC(2026, 9, 6), 'closed'],
        ] as const) {
          const { ticketId, deviceId } = await aRepairReadyForPickup(
            cubby,
            districtId,
            owner.personId,
            station.compartments[n - 1]!.id,
          );
          const device = await cubby.db
            .selectFrom('devices')
            .select('asset_tag')
            .where('id', '=', deviceId)
            .executeTakeFirstOrThrow();
          tags.push(device.asset_tag);
          await cubby.db
            .updateTable('repair_tickets')
            .set({
              reported_at: reportedAt,
              status,
              notes: `ticket at ${n}`,
              ...(status === 'closed' ? { closed_at: reportedAt } : {}),
            })
            .where('id', '=', ticketId)
            .execute();
        }
      },
    });
    for (const [i, name] of ['Ada', 'Ben'].entries()) {
      await dashboard.kiosk.aStudent({ givenName: name, badge: `420000${i}` });
      await dashboard.kiosk.borrowed(`420000${i}`);
    }
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);

    await tab.goto('loans');
    await tab.page.locator('[data-page="loans"] table[data-rows="2"]').waitFor();
    // Ben borrowed last: he is first.
    expect(await tab.page.locator('table tbody tr').first().innerText()).toContain('Ben');
    expect(await tab.page.getByRole('columnheader', { name: /Started/ }).getAttribute('aria-sort')).toBe('descending');
    await tab.capture('loans-newest-first', { sizes });
    // Sorted by due time instead: still so after leaving and coming back.
    await tab.page.getByRole('button', { name: /^Due/ }).click();
    await tab.page.waitForURL(/sort=dueAt/);
    await tab.goto('loans');
    expect(await tab.page.getByRole('columnheader', { name: /^Due/ }).getAttribute('aria-sort')).toBe('ascending');

    await tab.goto('repairs');
    await tab.page.locator('[data-page="repairs"] table').waitFor();
    expect(await tab.page.getByRole('radio', { name: 'Open' }).isChecked()).toBe(true);
    expect(await tab.page.getByRole('columnheader', { name: /Reported/ }).getAttribute('aria-sort')).toBe('descending');
    await tab.page.locator('table[data-rows="2"]').waitFor();
    const rows = () => tab.page.locator('table tbody tr').allInnerTexts();
    // Newest first: the ticket reported a day ago, then the one reported three days ago.
    const open = await rows();
    expect(open[0]).toContain(tags[1]);
    expect(open[1]).toContain(tags[0]);
    await tab.capture('repairs-open-first', { sizes });
    await tab.page.getByText('All tickets', { exact: true }).click();
    await tab.page.waitForURL(/view=all/);
    await tab.page.locator('table[data-rows="3"]').waitFor();
    // October's closed ticket comes last, not first.
    expect((await rows())[2]).toContain(tags[2]);
    await tab.goto('repairs');
    expect(await tab.page.getByRole('radio', { name: 'All tickets' }).isChecked()).toBe(true);
    await tab.page.locator('table[data-rows="3"]').waitFor();
    await tab.capture('repairs-all-newest-first', { sizes });
  });
});

describe('a technician of one campus', { timeout: 120_000 }, () => {
  it("sees the campus's name, not the district, and its campus page; another campus's page is not found", async () => {
    const dashboard = await suite.start();
    await dashboard.kiosk.aStudent({ givenName: 'Ivy', badge: '4100072' });
    await dashboard.kiosk.borrowed('4100072');
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.technician);
    // "Your campuses" stands there until the campus list has loaded; then the one campus names the page.
    await tab.page.getByRole('heading', { level: 1, name: 'Maple Valley High' }).waitFor();
    expect(await tab.heading()).toBe('Maple Valley High');
    expect(await tab.page.locator('#content').innerText()).not.toContain('District overview');
    await tab.capture('overview-technician', { sizes });

    await tab.page.getByRole('link', { name: 'Maple Valley High' }).click();
    await tab.page.locator('[data-page="campus"]').waitFor();
    await tab.page.locator('[data-campus-list="loans"] table[data-rows="1"]').waitFor();
    await tab.page.locator('[data-campus-list="loaners"] table').waitFor();
    expect(await tab.heading()).toBe('Maple Valley High');
    expect(await tab.page.locator('[data-campus-list="repairs"]').innerText()).toContain('None right now.');
    await tab.capture('campus-en', { fullPage: true, sizes });

    await tab.page.evaluate(() => localStorage.setItem('cubby.dashboard.language', 'es'));
    await tab.goto(`campuses/${dashboard.kiosk.siteId}`);
    await tab.page.locator('[data-campus-list="loans"] table').waitFor();
    expect(await tab.page.locator('#content').innerText()).toContain('Préstamos en curso');
    await tab.capture('campus-es', { fullPage: true, sizes });

    await tab.page.evaluate(() => localStorage.setItem('cubby.dashboard.language', 'en'));
    await tab.page.goto(`${tab.base}campuses/${dashboard.otherSiteId}`);
    await tab.page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    expect(await tab.page.locator('#content').innerText()).not.toContain('Oak Ridge Middle');
  });

  it('the district admin sees every campus as a link to its page', async () => {
    const dashboard = await suite.start();
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    expect(await tab.heading()).toBe('District overview');
    await tab.page.getByRole('link', { name: 'Oak Ridge Middle' }).click();
    await tab.page.locator('[data-campus-page="Oak Ridge Middle"]').waitFor();
    expect(await tab.page.locator('#content').innerText()).toContain('Media Center');
  });
});
