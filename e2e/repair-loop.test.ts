import { aStudent, anAssignedDevice } from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';
import { KioskPage } from './kiosk-page.js';
import { aPng } from './png.js';

const suite = useDashboardSuite();
const lockerOf = (heading: string) => Number(/(?:Locker|casillero) (\d+)/i.exec(heading)![1]);
const orientations = [
  ['landscape', { width: 1280, height: 800 }],
  ['portrait', { width: 1080, height: 1920 }],
] as const;

/**
 * The whole repair loop of issue 14, one Chromebook round it: a student swaps
 * it at the kiosk, a technician collects it at the same station, the repair
 * goes across the dashboard's board with a note, a cost and a photo, the
 * technician places it for pickup at the kiosk, the student picks it up and
 * returns the loaner; the ticket and the device's timeline then show every
 * step with who did it and when, in English and Spanish.
 */
describe('the repair loop, kiosk to dashboard and back', { timeout: 240_000 }, () => {
  it('swap → collect → repair with note, cost and photo → place for pickup → pickup and loaner returned', async () => {
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
    const station = await KioskPage.open(suite.browser, kiosk.url, 'loop');

    // 1. The student swaps the broken Chromebook for a loaner.
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

    // 2. The technician badges in at the same station and collects it.
    await station.scan('4200001');
    await station.heading('Technician mode — hi, Tomás!');
    await station.tap(/Collect flagged devices/);
    expect(lockerOf(await station.heading(/Locker \d+ is open/))).toBe(deposit);
    kiosk.bank.take(deposit);
    kiosk.bank.closeDoor(deposit);
    await station.heading('All done!');
    expect(await station.text()).toContain('1 device collected.');
    await station.tap('Finish');

    // 3. On the dashboard the ticket goes through repair: started, a note and a cost, a photo, repaired.
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.technician);
    await tab.goto('repairs/board');
    const card = tab.page.locator(`[data-card="${ownTag}"]`);
    await card.locator('[data-move="repair_started"]').click();
    await tab.page.locator('[data-page="repair-board"] [data-column="in_repair"]').locator(`[data-card="${ownTag}"]`).waitFor();
    await card.getByRole('link', { name: ownTag }).click();
    await tab.page.locator('[data-page="repair-ticket"]').waitFor();
    await tab.page.getByLabel('Notes', { exact: true }).fill('Cracked panel replaced.');
    await tab.page.getByLabel('Cost (USD)').fill('62.00');
    await tab.page.getByRole('button', { name: 'Save the work' }).click();
    await tab.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    await tab.page.locator('input[type="file"]').setInputFiles({ name: 'panel.png', mimeType: 'image/png', buffer: aPng() });
    await tab.page.locator('[data-photos="1"] img').waitFor();
    await tab.page.locator('[data-page="repair-ticket"] [data-move="repair_finished"]').click();
    await tab.page.locator('[data-ticket-status="repaired"]').waitFor();

    // 4. The technician places it for pickup at the kiosk, by its asset tag.
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

    // 5. The student picks it up, then returns the loaner.
    await station.scan('4100070');
    await station.heading('Hi, Ivy!');
    await station.tap(/Pick up my repaired Chromebook/);
    await station.heading(`Locker ${pickupDoor} is open`);
    kiosk.bank.take(pickupDoor);
    kiosk.bank.closeDoor(pickupDoor);
    await station.heading('All done!');
    await station.tap('Finish');
    await station.scan('4100070');
    await station.heading('Hi, Ivy!');
    await station.tap(/Return my loaner/);
    const returnDoor = lockerOf(await station.heading(/Locker \d+ is open/));
    kiosk.bank.put(returnDoor, 60);
    kiosk.bank.closeDoor(returnDoor);
    await station.heading('All done!');

    // The records: the ticket closed, the device back in service, the loan of the loaner ended.
    const ticket = await db
      .selectFrom('repair_tickets')
      .selectAll()
      .where('device_id', '=', own.deviceId)
      .executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ status: 'closed', notes: 'Cracked panel replaced.' });
    expect(Number(ticket.cost_cents)).toBe(6200);
    expect(await kiosk.device(own.deviceId)).toMatchObject({ status: 'in_service' });
    const loan = await db.selectFrom('loans').select(['status']).where('id', '=', ticket.loan_id!).executeTakeFirstOrThrow();
    expect(loan.status).toBe('returned');

    // 6. The ticket page shows every step with its actor and time, and the swap → loaner → pickup links:
    // to the campus admin, who may read students' names (the technician's own page says "Person").
    await tab.page.getByRole('button', { name: 'Sign out' }).click();
    await tab.page.getByRole('heading', { name: 'Sign in to Cubby' }).waitFor();
    const office = tab;
    await office.signIn(dashboard.users.site_admin);
    await office.goto(`repairs/${ticket.id}`);
    await office.page.locator('[data-ticket-status="closed"]').waitFor();
    const who: Record<string, string> = {
      reported: 'Ivy',
      collected: 'Tomás',
      in_repair: 'Tess Tech',
      repaired: 'Tess Tech',
      ready_for_pickup: 'Tomás',
      closed: 'Ivy',
    };
    for (const [status, name] of Object.entries(who)) {
      const row = await office.page.locator(`[data-steps] [data-step="${status}"]`).innerText();
      expect(row, `the ${status} step`).toContain(name);
      expect(row, `the ${status} step's time`).toMatch(/\d{1,2}:\d{2}/);
    }
    await office.capture('repair-loop-ticket', { sizes: orientations, fullPage: true });

    // The device's timeline tells the same story, in the audit log's sentences.
    await office.goto(`devices/${own.deviceId}`);
    const timeline = office.page.locator('[data-timeline]');
    await timeline.waitFor();
    await expect.poll(() => timeline.innerText(), { timeout: 10_000 }).toContain('picked up repaired device');
    const story = await timeline.innerText();
    for (const sentence of [
      'left broken device',
      'collected broken device',
      'started repairing',
      'finished repairing',
      'placed repaired device',
    ])
      expect(story).toContain(sentence);
    await office.capture('repair-loop-device', { sizes: orientations, fullPage: true });

    await office.page.getByLabel('Language').selectOption('es');
    await timeline.getByText(/recogió el dispositivo reparado/).waitFor();
    await office.capture('repair-loop-device-es', { sizes: orientations, fullPage: true });
    await office.page.goBack();
    await office.page.locator('[data-ticket-status="closed"]').waitFor();
    await office.capture('repair-loop-ticket-es', { sizes: orientations, fullPage: true });
  });
});
