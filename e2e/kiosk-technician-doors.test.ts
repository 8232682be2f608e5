import { aStudent } from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import { useKioskSuite } from './suite.js';
import { KioskPage } from './kiosk-page.js';

// Evaluated in the page (see kiosk-page.ts).
declare const document: any;

const suite = useKioskSuite();

/** Keyboard only: Tab until the focused control's name matches, then Enter. */
async function keyboardTo(page: KioskPage, name: RegExp): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.page.keyboard.press('Tab');
    const focused = await page.page.evaluate(() => {
      const el = document.activeElement;
      return String(el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim();
    });
    if (name.test(focused)) {
      await page.page.keyboard.press('Enter');
      return;
    }
  }
  throw new Error(`no control named ${String(name)} reachable by Tab`);
}

describe('kiosk: technician mode at the doors', () => {
  it('opens a locker with a reason (keyboard only), takes one out of service and back, and says why a change is refused', async () => {
    const kiosk = await suite.start({
      kiosk: { doneSignOutSeconds: 60 },
      seed: async ({ server, districtId, siteId }) => {
        await aStudent(server.cubby, server.services.keys, districtId, {
          givenName: 'Tomás',
          badge: '4200001',
          role: 'technician',
          siteId,
        });
      },
    });
    const loaner = kiosk.loaners[0]!;
    const page = await KioskPage.open(suite.browser, kiosk.url, 'technician-doors');
    await page.scan('4200001');
    await page.heading('Technician mode — hi, Tomás!');
    expect(await page.text()).toContain('With a reason; or take a locker out of service.');
    await page.capture('menu');

    // Open a locker, by keyboard alone: the reason, then the locker on the map.
    await keyboardTo(page, /^Open a locker/);
    await page.heading('Open a locker');
    await keyboardTo(page, /^Free a stuck device$/);
    expect(await page.page.getByRole('button', { name: 'Free a stuck device' }).getAttribute('aria-pressed')).toBe('true');
    await page.capture('open-door');
    await keyboardTo(page, /^Locker 1$/);
    await page.heading('Locker 1 is open');
    expect(await page.text()).toContain('Do what you came for, then close the door.');
    await page.capture('door-open-door');
    kiosk.bank.take(1);
    kiosk.bank.closeDoor(1);
    await page.heading('All done!');
    expect(await page.text()).toContain(`Locker 1 was expected to hold ${loaner.assetTag} but is empty.`);
    await page.capture('done-open-door');
    expect(await kiosk.compartment(1)).toMatchObject({ status: 'empty', device_id: null });
    const [opened] = await kiosk.server.cubby.db
      .selectFrom('audit_events')
      .select(['actor_type', 'data'])
      .where('action', '=', 'compartment.technician_opened')
      .execute();
    expect(opened!.actor_type).toBe('person');
    expect(JSON.stringify(opened!.data)).toContain('stuck_device');
    await page.tap('Finish');

    // Out of service, then back.
    await page.scan('4200001');
    await page.heading('Technician mode — hi, Tomás!');
    await page.tap(/^Open a locker/);
    await page.heading('Open a locker');
    await page.tap(/Locker in or out of service/);
    await page.heading('Locker in or out of service');
    await page.capture('door-service');
    await page.tap('Locker 3');
    await page.heading('Take locker 3 out of service');
    await page.capture('service-reason');
    await page.tap('The lock is broken');
    await page.heading('Locker in or out of service');
    expect(await page.text()).toContain('Locker 3 is out of service now.');
    await page.capture('service-out-done');
    expect(await kiosk.compartment(3)).toMatchObject({ status: 'out_of_service' });
    await page.tap('Locker 3 Out of service');
    await page.heading('Put locker 3 back in service');
    await page.tap('It is repaired');
    await page.heading('Locker in or out of service');
    expect(await page.text()).toContain('Locker 3 is back in service.');
    expect(await kiosk.compartment(3)).toMatchObject({ status: 'empty' });

    // Door 5 out of service; someone leaves something in it with a key: back in service is refused with why.
    await page.tap('Locker 5');
    await page.tap('The door is damaged');
    await page.heading('Locker in or out of service');
    kiosk.bank.forceOpen(5);
    kiosk.bank.put(5);
    kiosk.bank.closeDoor(5);
    await page.tap('Locker 5 Out of service');
    await page.tap('It is repaired');
    await page.heading('Locker 5’s sensor disagrees with the records');
    expect(await page.text()).toContain('Open it from the dashboard (remote open) or with the key');
    await page.capture('refused-contents-unknown');
    expect(await kiosk.compartment(5)).toMatchObject({ status: 'out_of_service' });
  }, 120_000);

  it('in Spanish: the bank check opens each locker in turn and lists every difference', async () => {
    const kiosk = await suite.start({
      compartments: 4,
      kiosk: { language: 'es', doneSignOutSeconds: 60 },
      stationName: 'Biblioteca',
      seed: async ({ server, districtId, siteId }) => {
        await aStudent(server.cubby, server.services.keys, districtId, {
          givenName: 'Rosa',
          badge: '4200002',
          role: 'technician',
          siteId,
        });
      },
    });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'technician-doors-es');
    await page.scan('4200002');
    await page.heading('Modo técnico — ¡hola, Rosa!');
    await page.capture('menu');
    await page.tap(/Revisar el banco/);
    await page.heading('Revisión del banco');
    await page.capture('bank-check');
    await page.tap(/Abrir cada casillero para mirar/);
    for (const door of [1, 2, 3, 4]) {
      await page.heading(`El casillero ${door} está abierto`);
      if (door === 1) {
        expect(await page.text()).toContain('Mira dentro y luego cierra la puerta.');
        expect(await page.text()).toContain('Paso 1 de 4');
        await page.capture('door-bank-check');
      }
      if (door === 2) kiosk.bank.take(2);
      if (door === 3) kiosk.bank.put(3);
      kiosk.bank.closeDoor(door);
    }
    await page.heading('¡Listo!');
    expect(await page.text()).toContain(`El casillero 2 debía tener ${kiosk.loaners[1]!.assetTag}, pero está vacío.`);
    expect(await page.text()).toContain('El casillero 3 figuraba vacío, pero hay algo dentro');
    await page.capture('done-bank-check');
    expect(await kiosk.compartment(2)).toMatchObject({ status: 'empty', device_id: null });
    await page.tap('Terminar');

    // Opening a locker, in Spanish, with nothing different.
    await page.scan('4200002');
    await page.heading('Modo técnico — ¡hola, Rosa!');
    await page.tap(/Abrir un casillero/);
    await page.heading('Abrir un casillero');
    await page.tap('Limpiarlo');
    await page.capture('open-door');
    await page.tap('Casillero 1');
    await page.heading('El casillero 1 está abierto');
    kiosk.bank.closeDoor(1);
    await page.heading('¡Listo!');
    expect(await page.text()).toContain('Todo coincidía con los registros.');
    await page.capture('done-open-door');
  }, 120_000);
});
