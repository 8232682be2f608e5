import { aStudent, anAssignedDevice } from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';
import { KioskPage } from './kiosk-page.js';

// Runs in the page (see kiosk-page.ts).
declare const window: { notReloaded?: boolean };

const suite = useDashboardSuite();
const lockerOf = (heading: string) => Number(/Locker (\d+)/i.exec(heading)![1]);
const orientations = [
  ['landscape', { width: 1280, height: 800 }],
  ['portrait', { width: 1080, height: 1920 }],
] as const;

/**
 * Two dashboard tabs follow one ticket live (issue 14): the board in one,
 * the ticket's page in the other. Each change, from the kiosk (swap,
 * technician collect, place for pickup, pickup, the loaner's return) or from
 * the other tab (start, finish), shows in both without a reload. Then the
 * swap → ticket → loaner → pickup links on the ticket, device and person pages.
 */
describe('the repair board and a ticket page, live', { timeout: 240_000 }, () => {
  it('a ticket moved at the kiosk or in one tab moves in the other, and the pages link swap, ticket, loaner and pickup', async () => {
    const dashboard = await suite.start({
      kiosk: { doneSignOutSeconds: 60 },
      seed: async ({ server, districtId, siteId }) => {
        await aStudent(server.cubby, server.services.keys, districtId, {
          givenName: 'Tomás',
          familyName: 'Vega',
          badge: '4200001',
          role: 'technician',
          siteId,
        });
      },
    });
    const { kiosk } = dashboard;
    const db = kiosk.server.cubby.db;
    const ivy = await kiosk.aStudent({ givenName: 'Ivy', badge: '4100070' });
    await db.updateTable('people').set({ site_id: kiosk.siteId, family_name: 'Lin' }).where('id', '=', ivy.personId).execute();
    const own = await anAssignedDevice(kiosk.server.cubby, kiosk.districtId, ivy.personId);
    await db.updateTable('devices').set({ site_id: kiosk.siteId }).where('id', '=', own.deviceId).execute();
    const ownTag = (await db.selectFrom('devices').select('asset_tag').where('id', '=', own.deviceId).executeTakeFirstOrThrow())
      .asset_tag;
    const station = await KioskPage.open(suite.browser, kiosk.url, 'repairs-live');

    // The student swaps the broken Chromebook for a loaner.
    await station.scan('4100070');
    await station.heading('Hi, Ivy!');
    await station.tap(/My Chromebook is broken/);
    await station.tap(/The screen is cracked or blank/);
    const deposit = lockerOf(await station.heading(/Locker \d+ is open/));
    kiosk.bank.put(deposit, 20);
    kiosk.bank.closeDoor(deposit);
    await station.page.getByText('Step 2 of 2').waitFor();
    const loanerDoor = lockerOf(await station.heading(/Locker \d+ is open/));
    kiosk.bank.take(loanerDoor);
    kiosk.bank.closeDoor(loanerDoor);
    await station.heading('All done!');
    await station.tap('Finish');
    const ticket = await db
      .selectFrom('repair_tickets')
      .selectAll()
      .where('device_id', '=', own.deviceId)
      .executeTakeFirstOrThrow();
    const loan = await db.selectFrom('loans').selectAll().where('id', '=', ticket.loan_id!).executeTakeFirstOrThrow();
    const loanerTag = (
      await db.selectFrom('devices').select('asset_tag').where('id', '=', loan.device_id).executeTakeFirstOrThrow()
    ).asset_tag;

    // The campus admin watches the board in one tab and the ticket in another.
    const board = await DashboardPage.open(suite.browser, dashboard);
    await board.signIn(dashboard.users.site_admin);
    await board.goto('repairs/board');
    const ticketTab = await DashboardPage.open(suite.browser, dashboard);
    await ticketTab.goto(`repairs/${ticket.id}`);
    for (const tab of [board, ticketTab]) {
      await tab.page.locator('[data-live="live"]').waitFor({ timeout: 10_000 });
      await tab.page.evaluate(() => (window.notReloaded = true));
    }
    const cardIn = (status: string) => board.page.locator(`[data-column="${status}"] [data-card="${ownTag}"]`);
    const statusIs = (status: string) => ticketTab.page.locator(`[data-page="repair-ticket"][data-status="${status}"]`);
    /** Both tabs show the ticket in this state, without a reload. */
    async function bothShow(status: string) {
      await cardIn(status).waitFor({ timeout: 15_000 });
      await statusIs(status).waitFor({ timeout: 15_000 });
    }
    await bothShow('awaiting_collection');

    // The technician collects it at the kiosk.
    await station.scan('4200001');
    await station.heading('Technician mode — hi, Tomás!');
    await station.tap(/Collect flagged devices/);
    expect(lockerOf(await station.heading(/Locker \d+ is open/))).toBe(deposit);
    kiosk.bank.take(deposit);
    kiosk.bank.closeDoor(deposit);
    await station.heading('All done!');
    await station.tap('Finish');
    await bothShow('collected');

    // Started on the board: the ticket tab follows. Finished on the ticket tab: the board follows.
    await board.page.bringToFront();
    await cardIn('collected').locator('[data-move="repair_started"]').click();
    await bothShow('in_repair');
    await ticketTab.page.bringToFront();
    await ticketTab.page.locator('[data-page="repair-ticket"] [data-move="repair_finished"]').click();
    await bothShow('repaired');

    // Placed for pickup at the kiosk, then picked up.
    await station.scan('4200001');
    await station.heading('Technician mode — hi, Tomás!');
    await station.tap(/Place repaired device for pickup/);
    await station.page.getByRole('heading', { name: 'Scan the repaired device’s asset tag' }).waitFor();
    await station.scan(ownTag);
    const pickupDoor = lockerOf(await station.heading(/Locker \d+ is open/));
    kiosk.bank.put(pickupDoor, 95);
    kiosk.bank.closeDoor(pickupDoor);
    await station.heading('All done!');
    await station.tap('Finish');
    await bothShow('ready_for_pickup');
    await station.scan('4100070');
    await station.heading('Hi, Ivy!');
    await station.tap(/Pick up my repaired Chromebook/);
    await station.heading(`Locker ${pickupDoor} is open`);
    kiosk.bank.take(pickupDoor);
    kiosk.bank.closeDoor(pickupDoor);
    await station.heading('All done!');
    await station.tap('Finish');
    await bothShow('closed');
    const links = ticketTab.page.locator('[data-links]');
    expect(await links.locator('[data-link="loaner"]').innerText()).toContain('still out');

    // The loaner comes back: the ticket tab's loaner link says so.
    await station.scan('4100070');
    await station.heading('Hi, Ivy!');
    await station.tap(/Return my loaner/);
    const returnDoor = lockerOf(await station.heading(/Locker \d+ is open/));
    kiosk.bank.put(returnDoor, 60);
    kiosk.bank.closeDoor(returnDoor);
    await station.heading('All done!');
    await links.locator('[data-link="loaner"]').filter({ hasText: 'returned' }).waitFor({ timeout: 15_000 });
    for (const tab of [board, ticketTab]) expect(await tab.page.evaluate(() => window.notReloaded)).toBe(true);

    // The ticket page: the swap at the station, the loaner (its device page), the pickup at the station.
    const href = (scope: ReturnType<typeof links.locator>) => scope.getByRole('link').first().getAttribute('href');
    expect(await href(links.locator('[data-link="swap"]'))).toBe(`/dashboard/stations/${kiosk.station.stationId}`);
    expect(await href(links.locator('[data-link="loaner"]'))).toBe(`/dashboard/devices/${loan.device_id}`);
    expect(await links.locator('[data-link="loaner"]').innerText()).toContain(loanerTag);
    expect(await href(links.locator('[data-link="pickup"]'))).toBe(`/dashboard/stations/${kiosk.station.stationId}`);
    await ticketTab.capture('repairs-live-ticket', { sizes: orientations, fullPage: true });

    // The device page: its ticket (status opens it) with the loaner lent for it.
    await ticketTab.goto(`devices/${own.deviceId}`);
    const deviceRepairs = ticketTab.page.locator('[data-person-list="device-repairs"]');
    await deviceRepairs.getByRole('link', { name: 'Closed' }).waitFor();
    expect(await deviceRepairs.getByRole('link', { name: 'Closed' }).getAttribute('href')).toBe(
      `/dashboard/repairs/${ticket.id}`,
    );
    expect(await deviceRepairs.getByRole('link', { name: `${loanerTag} (returned)` }).getAttribute('href')).toBe(
      `/dashboard/devices/${loan.device_id}`,
    );
    await ticketTab.capture('repairs-live-device', { sizes: orientations, fullPage: true });

    // The loaner's page: its loan to Ivy, for the repair of her device (the ticket).
    await ticketTab.goto(`devices/${loan.device_id}`);
    const loanerLoans = ticketTab.page.locator('[data-person-list="device-loans"]');
    await loanerLoans.getByRole('link', { name: ownTag }).waitFor();
    expect(await loanerLoans.getByRole('link', { name: ownTag }).getAttribute('href')).toBe(`/dashboard/repairs/${ticket.id}`);
    expect(await loanerLoans.getByRole('link', { name: 'Ivy Lin' }).getAttribute('href')).toBe(
      `/dashboard/people/${ivy.personId}`,
    );

    // Ivy's page: the loan links the ticket, the ticket links the loaner.
    await ticketTab.goto(`people/${ivy.personId}`);
    const personLoans = ticketTab.page.locator('[data-person-list="loans"]');
    const personRepairs = ticketTab.page.locator('[data-person-list="repairs"]');
    await personLoans.getByRole('link', { name: ownTag }).waitFor();
    expect(await personLoans.getByRole('link', { name: ownTag }).getAttribute('href')).toBe(`/dashboard/repairs/${ticket.id}`);
    expect(await personLoans.getByRole('link', { name: loanerTag }).getAttribute('href')).toBe(
      `/dashboard/devices/${loan.device_id}`,
    );
    expect(await personRepairs.getByRole('link', { name: 'Closed' }).getAttribute('href')).toBe(
      `/dashboard/repairs/${ticket.id}`,
    );
    expect(await personRepairs.getByRole('link', { name: `${loanerTag} (returned)` }).getAttribute('href')).toBe(
      `/dashboard/devices/${loan.device_id}`,
    );
    await ticketTab.capture('repairs-live-person', { sizes: orientations, fullPage: true });
    await ticketTab.page.getByLabel('Language').selectOption('es');
    await personLoans.getByRole('link', { name: ownTag }).waitFor();
    await personRepairs.getByRole('link', { name: `${loanerTag} (devuelto)` }).waitFor();
    await ticketTab.capture('repairs-live-person-es', { sizes: orientations, fullPage: true });
    expect([...board.errors, ...ticketTab.errors]).toEqual([]);
  });
});
