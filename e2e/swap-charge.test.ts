import { aRepairReadyForPickup, aStudent, anAssignedDevice } from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import { useKioskSuite } from './suite.js';
import { KioskPage } from './kiosk-page.js';

const suite = useKioskSuite();

const lockerOf = (heading: string) => Number(/Locker (\d+)/.exec(heading)![1]);

describe('kiosk: swap, charge and pickup', () => {
  it('a first-time borrower accepts the loaner agreement, then swaps a broken Chromebook for a loaner at two doors', async () => {
    const kiosk = await suite.start({
      policy: { requireAgreement: true },
      agreement: {
        en: ['Maple Valley loaners come back by 3:30 pm.'],
        es: ['Los préstamos de Maple Valley se devuelven a las 3:30 p. m.'],
      },
    });
    const dev = await kiosk.aStudent({ givenName: 'Dev', badge: '4100021' });
    const own = await anAssignedDevice(kiosk.server.cubby, kiosk.districtId, dev.personId);
    const page = await KioskPage.open(suite.browser, kiosk.url, 'swap');

    await page.scan('4100021');
    await page.heading('Hi, Dev!');
    await page.tap(/My Chromebook is broken/);
    await page.heading('What is wrong with your Chromebook?');
    await page.capture('symptom');
    await page.tap(/The screen is cracked or blank/);
    await page.heading('Loaner agreement');
    // The district's own text, not the built-in one.
    expect(await page.text()).toContain('Maple Valley loaners come back by 3:30 pm.');
    await page.capture('agreement');
    await page.tap('I agree');

    const deposit = lockerOf(await page.heading(/Locker \d+ is open/));
    expect(await page.text()).toContain('Step 1 of 2');
    expect(await page.text()).toContain('Put your broken Chromebook inside, then close the door.');
    await page.capture('door-deposit-broken');
    kiosk.bank.put(deposit, 20);
    kiosk.bank.closeDoor(deposit);

    await page.page.getByText('Step 2 of 2').waitFor();
    const loaner = lockerOf(await page.heading(/Locker \d+ is open/));
    expect(loaner).toBe(1);
    expect(await page.text()).toContain('Take the Chromebook out, then close the door.');
    await page.capture('door-take-loaner-swap');
    kiosk.bank.take(loaner);
    kiosk.bank.closeDoor(loaner);
    await page.heading('All done!');
    expect(await page.text()).toMatch(/We’ll fix your Chromebook .* Your loaner is due back/);
    await page.capture('done-swap');

    const db = kiosk.server.cubby.db;
    const person = await db
      .selectFrom('people')
      .select('agreement_accepted_at')
      .where('id', '=', dev.personId)
      .executeTakeFirstOrThrow();
    expect(person.agreement_accepted_at).not.toBeNull();
    const ticket = await db
      .selectFrom('repair_tickets')
      .selectAll()
      .where('device_id', '=', own.deviceId)
      .executeTakeFirstOrThrow();
    expect(ticket).toMatchObject({ status: 'awaiting_collection', symptom: 'screen', person_id: dev.personId });
    expect(await kiosk.device(own.deviceId)).toMatchObject({ status: 'awaiting_collection' });
    expect(await kiosk.loans(dev.personId)).toMatchObject([
      { status: 'active', reason: 'broken', asset_tag: kiosk.loaners[0]!.assetTag },
    ]);
    expect(await kiosk.compartment(deposit)).toMatchObject({ status: 'loaded', device_id: own.deviceId });
  });

  it('a student leaves a Chromebook to charge and collects it later', async () => {
    const kiosk = await suite.start();
    const eli = await kiosk.aStudent({ givenName: 'Eli', badge: '4100028' });
    const own = await anAssignedDevice(kiosk.server.cubby, kiosk.districtId, eli.personId);
    const page = await KioskPage.open(suite.browser, kiosk.url, 'charge');

    await page.scan('4100028');
    await page.tap(/Charge my Chromebook/);
    const door = lockerOf(await page.heading(/Locker \d+ is open/));
    expect(await page.text()).toContain('plug in the charger');
    await page.capture('door-deposit-for-charge');
    kiosk.bank.put(door, 15);
    kiosk.bank.closeDoor(door);
    await page.heading('All done!');
    expect(await page.text()).toContain(`Your Chromebook is charging in locker ${door}.`);
    await page.capture('done-charge');
    await page.tap('Finish');
    expect(await kiosk.device(own.deviceId)).toMatchObject({ status: 'charging' });

    await page.scan('4100028');
    await page.heading('Hi, Eli!');
    expect(await page.text()).not.toContain('Charge my Chromebook');
    await page.capture('menu-charging');
    await page.tap(/Collect my Chromebook/);
    await page.heading(`Locker ${door} is open`);
    kiosk.bank.take(door);
    kiosk.bank.closeDoor(door);
    await page.heading('All done!');
    expect(await page.text()).toContain('Your Chromebook is all yours again.');
    expect(await kiosk.device(own.deviceId)).toMatchObject({ status: 'in_service' });
  });

  it('a student picks up a repaired Chromebook, offered first on a full menu', async () => {
    let repaired = { deviceId: '' };
    let waiting = { id: '', number: 0 };
    const kiosk = await suite.start({
      seed: async ({ server, districtId, station }) => {
        const fay = await aStudent(server.cubby, server.services.keys, districtId, { givenName: 'Fay', badge: '4100035' });
        waiting = station.compartments[5]!;
        repaired = await aRepairReadyForPickup(server.cubby, districtId, fay.personId, waiting.id);
      },
    });
    await kiosk.borrowed('4100035');
    const page = await KioskPage.open(suite.browser, kiosk.url, 'pickup');

    await page.scan('4100035');
    await page.heading('Hi, Fay!');
    expect(await page.text()).toContain(`It is ready in locker ${waiting.number}`);
    await page.capture('menu-pickup');
    await page.tap(/Pick up my repaired Chromebook/);
    await page.heading(`Locker ${waiting.number} is open`);
    expect(await page.text()).toContain('Take your repaired Chromebook out, then close the door.');
    kiosk.bank.take(waiting.number);
    kiosk.bank.closeDoor(waiting.number);
    await page.heading('All done!');
    expect(await kiosk.device(repaired.deviceId)).toMatchObject({ status: 'in_service' });
  });
});
