import {
  aFlaggedDevice as aFlaggedDeviceBuilder,
  aLoaner,
  aRepairedDevice,
  aSite,
  aStudent,
  anAssignedDevice,
} from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import type { SeedContext } from './kiosk-harness.js';
import { useKioskSuite } from './suite.js';
import { KioskPage } from './kiosk-page.js';

const suite = useKioskSuite();

const lockerOf = (heading: string) => Number(/(?:Locker|casillero) (\d+)/i.exec(heading)![1]);

/**
 * A broken device left behind door `number`, its ticket awaiting collection;
 * with `presence: 0` the sensor reads empty (someone took it without the
 * kiosk), and the collection flags that door.
 */
function aFlaggedDevice({ server, districtId, station }: SeedContext, number: number, presence: 0 | 1) {
  const door = station.compartments[number - 1]!;
  return aFlaggedDeviceBuilder(server.cubby, server.services.keys, districtId, door.id, { presence, symptom: 'keyboard' });
}

/** A spare loaner in the IT office (in service, in no locker), to restock with. */
async function aSpareLoaner({ server, districtId, station }: SeedContext, viaDoor: number) {
  const door = station.compartments[viaDoor - 1]!;
  const loaner = await aLoaner(server.cubby, districtId, door.id, { charge: 70 });
  const db = server.cubby.db;
  await db.updateTable('compartments').set({ status: 'empty', device_id: null, presence: 0 }).where('id', '=', door.id).execute();
  await db.updateTable('devices').set({ status: 'in_service' }).where('id', '=', loaner.deviceId).execute();
  return loaner;
}

describe('kiosk: technician mode', () => {
  it('a student swaps a broken Chromebook; a technician collects it, restocks a loaner and places a repaired one for pickup', async () => {
    let spare = { deviceId: '', assetTag: '' };
    let repaired = { deviceId: '', ticketId: '', assetTag: '' };
    let max = { personId: '', badge: '' };
    const kiosk = await suite.start({
      kiosk: { doneSignOutSeconds: 60 },
      seed: async (ctx) => {
        const { server, districtId, siteId } = ctx;
        await aStudent(server.cubby, server.services.keys, districtId, {
          givenName: 'Tomás',
          badge: '4200001',
          role: 'technician',
          siteId,
        });
        max = await aStudent(server.cubby, server.services.keys, districtId, { givenName: 'Max', badge: '4100077' });
        repaired = await aRepairedDevice(server.cubby, districtId, max.personId);
        await aFlaggedDevice(ctx, 9, 0);
        spare = await aSpareLoaner(ctx, 12);
      },
    });
    const ivy = await kiosk.aStudent({ givenName: 'Ivy', badge: '4100070' });
    const own = await anAssignedDevice(kiosk.server.cubby, kiosk.districtId, ivy.personId);
    const page = await KioskPage.open(suite.browser, kiosk.url, 'technician');

    // The student swaps a broken Chromebook for a loaner.
    await page.scan('4100070');
    await page.heading('Hi, Ivy!');
    await page.tap(/My Chromebook is broken/);
    await page.tap(/The screen is cracked or blank/);
    const deposit = lockerOf(await page.heading(/Locker \d+ is open/));
    kiosk.bank.put(deposit, 20);
    kiosk.bank.closeDoor(deposit);
    await page.page.getByText('Step 2 of 2').waitFor();
    const loanerDoor = lockerOf(await page.heading(/Locker \d+ is open/));
    kiosk.bank.take(loanerDoor);
    kiosk.bank.closeDoor(loanerDoor);
    await page.heading('All done!');
    await page.tap('Finish');

    // The technician badges in at the same station: the technician menu, with its counts.
    await page.scan('4200001');
    await page.heading('Technician mode — hi, Tomás!');
    expect(await page.text()).toContain('Collect flagged devices (1)');
    expect(await page.text()).toContain('1 repaired device of this campus is waiting to be placed.');
    await page.capture('menu');

    // Collect: one tap opens the flagged door.
    await page.tap(/Collect flagged devices/);
    expect(lockerOf(await page.heading(/Locker \d+ is open/))).toBe(deposit);
    expect(await page.text()).toContain('Take the broken device out, then close the door.');
    await page.capture('door-collect');
    kiosk.bank.take(deposit);
    kiosk.bank.closeDoor(deposit);
    await page.heading('All done!');
    expect(await page.text()).toContain('1 device collected.');
    expect(await page.text()).toContain('Locker 9 was empty — flagged.');
    await page.capture('done-collect');
    expect(await kiosk.device(own.deviceId)).toMatchObject({ status: 'in_repair' });
    await page.tap('Finish');

    // The bank check, by the sensors: door 9 is recorded holding the flagged device but reads empty.
    await page.scan('4200001');
    await page.heading('Technician mode — hi, Tomás!');
    expect(await page.text()).toContain('1 locker differs from the records.');
    await page.tap(/Bank check/);
    await page.heading('Bank check');
    expect(await page.text()).toMatch(/Locker 9: \S+ should be inside, but the sensor reads empty\./);
    await page.capture('bank-check');
    await page.tap('Back to the technician menu');
    await page.heading('Technician mode — hi, Tomás!');

    // Restock: the tag typed on the keyboard (a scanner types the same way), Enter opens an empty locker.
    await page.tap(/Restock loaners/);
    await page.page.getByRole('heading', { name: 'Scan the loaner’s asset tag' }).waitFor();
    await page.page.keyboard.type(spare.assetTag.toLowerCase());
    await page.capture('tag-restock');
    await page.page.keyboard.press('Enter');
    const restockDoor = lockerOf(await page.heading(/Locker \d+ is open/));
    expect(await page.text()).toContain('Put the loaner inside, plug in the charger, then close the door.');
    kiosk.bank.put(restockDoor, 70);
    kiosk.bank.closeDoor(restockDoor);
    await page.heading('All done!');
    expect(await page.text()).toContain(`The loaner is in locker ${restockDoor}, ready to lend.`);
    await page.capture('done-restock');
    expect(await kiosk.device(spare.deviceId)).toMatchObject({ status: 'available' });
    expect(await kiosk.compartment(restockDoor)).toMatchObject({ status: 'loaded', device_id: spare.deviceId });
    await page.tap('Finish');

    // A wrong tag is refused with its reason, before any door opens.
    await page.scan('4200001');
    await page.heading('Technician mode — hi, Tomás!');
    await page.tap(/Place repaired device for pickup/);
    await page.page.getByRole('heading', { name: 'Scan the repaired device’s asset tag' }).waitFor();
    await page.scan(spare.assetTag);
    await page.heading('That device is already in a locker');
    await page.capture('refused-tag');
    await page.tap('Do something else');
    await page.heading('Technician mode — hi, Tomás!');

    // Place for pickup: the repaired device goes in; its owner's pickup finds it.
    await page.tap(/Place repaired device for pickup/);
    await page.page.getByRole('heading', { name: 'Scan the repaired device’s asset tag' }).waitFor();
    await page.scan(repaired.assetTag);
    const placeDoor = lockerOf(await page.heading(/Locker \d+ is open/));
    expect(await page.text()).toContain('Put the repaired device inside');
    await page.capture('door-place');
    kiosk.bank.put(placeDoor, 90);
    kiosk.bank.closeDoor(placeDoor);
    await page.heading('All done!');
    expect(await page.text()).toContain(`The repaired device is in locker ${placeDoor}. Its owner will be told it is ready.`);
    await page.capture('done-place');
    const db = kiosk.server.cubby.db;
    expect(
      await db.selectFrom('repair_tickets').select('status').where('id', '=', repaired.ticketId).executeTakeFirstOrThrow(),
    ).toEqual({ status: 'ready_for_pickup' });
    await page.tap('Finish');

    await page.scan(max.badge);
    await page.heading('Hi, Max!');
    expect(await page.text()).toContain(`It is ready in locker ${placeDoor}`);
    await page.tap(/Pick up my repaired Chromebook/);
    await page.heading(`Locker ${placeDoor} is open`);
    kiosk.bank.take(placeDoor);
    kiosk.bank.closeDoor(placeDoor);
    await page.heading('All done!');
    expect(await kiosk.device(repaired.deviceId)).toMatchObject({ status: 'in_service' });

    const actions = await kiosk.auditActions();
    for (const action of ['repair.collected', 'repair.collection_door_empty', 'device.restocked', 'repair.ready_for_pickup'])
      expect(actions).toContain(action);
  }, 120_000);

  it('in Spanish: a collection whose first door jams, a take-out of loaners, and a technician of another campus gets the student menu with why', async () => {
    const kiosk = await suite.start({
      loaners: [90, 80, 70],
      kiosk: { language: 'es', doneSignOutSeconds: 60 },
      stationName: 'Biblioteca',
      seed: async (ctx) => {
        const { server, districtId, siteId } = ctx;
        await aFlaggedDevice(ctx, 5, 1);
        await aFlaggedDevice(ctx, 6, 1);
        await aStudent(server.cubby, server.services.keys, districtId, {
          givenName: 'Rosa',
          badge: '4200002',
          role: 'technician',
          siteId,
        });
        const north = await aSite(server.cubby, districtId, { name: 'Campus Norte' });
        await aStudent(server.cubby, server.services.keys, districtId, {
          givenName: 'Nico',
          badge: '4200003',
          role: 'technician',
          siteId: north,
        });
      },
    });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'technician-es');
    await page.scan('4200002');
    await page.heading('Modo técnico — ¡hola, Rosa!');
    expect(await page.text()).toContain('Hay 3 equipos de préstamo aquí.');
    expect(await page.text()).toContain('Recoger equipos marcados (2)');
    await page.capture('menu');

    // The first flagged door's lock jams: the next one opens, and the summary says so.
    kiosk.bank.jam(5);
    await page.tap(/Recoger equipos marcados/);
    await page.heading('El casillero 6 está abierto', 8000);
    expect(await page.text()).toContain('El casillero 5 está trabado, así que abrimos el casillero 6.');
    expect(await page.text()).toContain('Paso 2 de 2');
    await page.capture('door-collect-jammed');
    kiosk.bank.take(6);
    kiosk.bank.closeDoor(6);
    await page.heading('¡Listo!');
    expect(await page.text()).toContain('1 dispositivo recogido.');
    expect(await page.text()).toContain('El casillero 5 no se abrió — ahora está fuera de servicio.');
    await page.capture('done-collect');
    expect(await kiosk.compartment(5)).toMatchObject({ status: 'out_of_service' });
    await page.tap('Terminar');

    await page.scan('4200002');
    await page.heading('Modo técnico — ¡hola, Rosa!');

    await page.tap(/Sacar equipos de préstamo/);
    await page.heading('¿Cuántos equipos de préstamo vas a sacar?');
    await page.capture('take-out');
    await page.tap(/Sacar los 3 equipos/);
    for (const door of [1, 2, 3]) {
      await page.heading(`El casillero ${door} está abierto`);
      if (door === 1) await page.capture('door-take-out');
      if (door !== 3) kiosk.bank.take(door);
      kiosk.bank.closeDoor(door);
    }
    await page.heading('¡Listo!');
    expect(await page.text()).toContain('2 equipos de préstamo sacados.');
    expect(await page.text()).toContain('Quedó dentro del casillero 3.');
    await page.capture('done-take-out');
    expect(await kiosk.device(kiosk.loaners[0]!.deviceId)).toMatchObject({ status: 'in_service' });
    expect(await kiosk.device(kiosk.loaners[2]!.deviceId)).toMatchObject({ status: 'available' });
    await page.tap('Terminar');

    await page.scan('4200003');
    await page.heading('¡Hola, Nico!');
    expect(await page.text()).toContain('El modo técnico es solo para los técnicos de este campus');
    expect(await page.text()).not.toContain('Recoger equipos marcados');
    await page.capture('not-technician-here');
  }, 120_000);

  it('in Spanish, with the district collecting all at once: every flagged door opens together and shuts in any order', async () => {
    const kiosk = await suite.start({
      policy: { collectAllDoorsAtOnce: true },
      kiosk: { language: 'es', doneSignOutSeconds: 60 },
      stationName: 'Biblioteca',
      seed: async (ctx) => {
        const { server, districtId, siteId } = ctx;
        for (const door of [5, 6, 7]) await aFlaggedDevice(ctx, door, 1);
        await aStudent(server.cubby, server.services.keys, districtId, {
          givenName: 'Rosa',
          badge: '4200002',
          role: 'technician',
          siteId,
        });
      },
    });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'technician-all-es');
    await page.scan('4200002');
    await page.heading('Modo técnico — ¡hola, Rosa!');
    kiosk.bank.jam(6);
    await page.tap(/Recoger equipos marcados \(3\)/);
    await page.heading('Los casilleros 5, 6 y 7 están abiertos');
    expect(await page.text()).toContain('Saca cada dispositivo dañado y luego cierra cada puerta.');
    expect(await page.text()).not.toContain('Paso');
    await page.capture('door-collect-all');
    // Door 6's lock jams: the screen keeps the two that opened.
    await page.heading('Los casilleros 5 y 7 están abiertos', 8000);
    kiosk.bank.take(7);
    kiosk.bank.closeDoor(7);
    await page.heading('El casillero 5 está abierto');
    await page.capture('door-collect-last');
    kiosk.bank.take(5);
    kiosk.bank.closeDoor(5);
    await page.heading('¡Listo!');
    expect(await page.text()).toContain('2 dispositivos recogidos.');
    expect(await page.text()).toContain('El casillero 6 no se abrió — ahora está fuera de servicio.');
    await page.capture('done-collect-all');
    expect(await kiosk.compartment(6)).toMatchObject({ status: 'out_of_service' });
  }, 120_000);
});
