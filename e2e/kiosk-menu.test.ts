import { aLoaner, aSite, aStation, anAssignedDevice } from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import { useKioskSuite } from './suite.js';
import { KioskPage } from './kiosk-page.js';

const suite = useKioskSuite();

const lockerOf = (heading: string) => Number(/(?:Locker|casillero) (\d+)/i.exec(heading)![1]);

describe('kiosk: the menu says what cannot be done here, and a broken Chromebook can always be left', () => {
  it('at the loan limit, "I need a loaner" is shown unavailable with the reason, and the broken Chromebook can be left', async () => {
    const kiosk = await suite.start();
    const gus = await kiosk.aStudent({ givenName: 'Gus', badge: '4100142' });
    await anAssignedDevice(kiosk.server.cubby, kiosk.districtId, gus.personId);
    await kiosk.borrowed('4100142');
    const page = await KioskPage.open(suite.browser, kiosk.url, 'menu-limit');
    await page.scan('4100142');
    await page.heading('Hi, Gus!');
    const borrow = page.page.getByRole('button', { name: /I need a loaner/ });
    expect(await borrow.isDisabled()).toBe(true);
    expect(await borrow.innerText()).toContain('You already have a loaner. Return it first.');
    // No swap (it would lend a second loaner); the drop-off says the student keeps the loaner.
    expect(await page.text()).not.toContain('My Chromebook is broken');
    expect(await page.text()).toContain('We’ll fix it. You already have a loaner.');
    await page.capture('menu');
    expect(await kiosk.loans(gus.personId)).toHaveLength(1);
  });

  it('with no charged loaner here, the menu names the nearest station, and a drop-off files a repair ticket', async () => {
    const kiosk = await suite.start({
      loaners: [30],
      seed: async ({ server, districtId, siteId }) => {
        const north = await aSite(server.cubby, districtId, { name: 'North Campus' });
        const gym = await aStation(server.cubby, north, { name: 'North Gym', compartments: 4 });
        for (const c of gym.compartments.slice(0, 3)) await aLoaner(server.cubby, districtId, c.id, { charge: 95 });
        const cafeteria = await aStation(server.cubby, siteId, { name: 'Cafeteria', compartments: 4 });
        for (const c of cafeteria.compartments.slice(0, 2)) await aLoaner(server.cubby, districtId, c.id, { charge: 95 });
      },
    });
    const hana = await kiosk.aStudent({ givenName: 'Hana', badge: '4100149' });
    const own = await anAssignedDevice(kiosk.server.cubby, kiosk.districtId, hana.personId);
    const page = await KioskPage.open(suite.browser, kiosk.url, 'menu-drop-off');
    await page.scan('4100149');
    await page.heading('Hi, Hana!');
    const borrow = page.page.getByRole('button', { name: /I need a loaner/ });
    expect(await borrow.isDisabled()).toBe(true);
    // Same campus first, though the other campus has more.
    expect(await borrow.innerText()).toContain('No charged loaners here right now. Cafeteria has 2 loaners ready.');
    await page.capture('menu');

    await page.tap(/Leave my broken Chromebook/);
    await page.heading('What is wrong with your Chromebook?');
    await page.tap(/The screen is cracked or blank/);
    const door = lockerOf(await page.heading(/Locker \d+ is open/));
    expect(door).not.toBe(1);
    expect(await page.text()).toContain('Put your broken Chromebook inside, then close the door.');
    expect(await page.text()).not.toContain('Step 1 of');
    await page.capture('door');
    kiosk.bank.put(door, 20);
    kiosk.bank.closeDoor(door);
    await page.heading('All done!');
    expect(await page.text()).toContain('Thanks! We’ll fix your Chromebook and let you know when it’s ready.');
    expect(await page.text()).toContain('Cafeteria has 2 loaners ready.');
    await page.capture('done');

    const db = kiosk.server.cubby.db;
    expect(await db.selectFrom('repair_tickets').select(['device_id', 'status', 'symptom']).execute()).toEqual([
      { device_id: own.deviceId, status: 'awaiting_collection', symptom: 'screen' },
    ]);
    expect(await kiosk.loans(hana.personId)).toEqual([]);
  });

  it('in Spanish, with no charged loaner anywhere, the drop-off says one will be waiting at the library', async () => {
    const kiosk = await suite.start({ loaners: [30], kiosk: { language: 'es' }, stationName: 'Biblioteca' });
    const leo = await kiosk.aStudent({ givenName: 'Leo', badge: '4100150' });
    await anAssignedDevice(kiosk.server.cubby, kiosk.districtId, leo.personId);
    const page = await KioskPage.open(suite.browser, kiosk.url, 'menu-es');
    await page.scan('4100150');
    await page.heading('¡Hola, Leo!');
    const borrow = page.page.getByRole('button', { name: /Necesito una Chromebook prestada/ });
    expect(await borrow.isDisabled()).toBe(true);
    expect(await borrow.innerText()).toContain('Ahora no hay Chromebooks cargadas aquí.');
    expect(await page.text()).toContain('Pregunta en la biblioteca y allí te estará esperando una Chromebook prestada.');
    await page.capture('menu');

    await page.tap(/Dejar mi Chromebook dañada/);
    await page.heading('¿Qué le pasa a tu Chromebook?');
    await page.capture('symptom');
    await page.tap(/La pantalla está rota o negra/);
    const door = lockerOf(await page.heading(/casillero \d+ está abierto/i));
    expect(await page.text()).toContain('Mete tu Chromebook dañada y luego cierra la puerta.');
    await page.capture('door');
    kiosk.bank.put(door, 20);
    kiosk.bank.closeDoor(door);
    await page.heading('¡Listo!');
    expect(await page.text()).toContain('Repararemos tu Chromebook y te avisaremos cuando esté lista.');
    expect(await page.text()).toContain('allí te estará esperando una Chromebook prestada');
    await page.capture('done');
  });
});
