import { aStudent, anAssignedDevice } from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';
import { KioskPage } from './kiosk-page.js';

const suite = useDashboardSuite();
const lockerOf = (heading: string) => Number(/(?:Locker|casillero) (\d+)/i.exec(heading)![1]);
const orientations = [
  ['landscape', { width: 1280, height: 800 }],
  ['portrait', { width: 1080, height: 1920 }],
] as const;

/**
 * Single-use tasks end to end (docs/tasks.md): the campus admin creates a
 * task on the dashboard, a technician loads a pick-up at the kiosk, the
 * student's badge opens exactly that door, and the task is listed as done; a
 * drop-off likewise, in Spanish.
 */
describe('single-use tasks, dashboard to kiosk', { timeout: 240_000 }, () => {
  it('a pick-up: created on the dashboard, loaded by the technician, taken by the student, listed as done', async () => {
    const dashboard = await suite.start({
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
    const { kiosk } = dashboard;
    const db = kiosk.server.cubby.db;
    const ivy = await kiosk.aStudent({ givenName: 'Ivy', badge: '4100070' });
    await db.updateTable('people').set({ site_id: kiosk.siteId, family_name: 'Lin' }).where('id', '=', ivy.personId).execute();
    // A new Chromebook in the IT office, nobody's yet.
    const fresh = await anAssignedDevice(kiosk.server.cubby, kiosk.districtId, ivy.personId);
    await db.updateTable('devices').set({ owner_id: null, site_id: kiosk.siteId }).where('id', '=', fresh.deviceId).execute();
    const tag = (await kiosk.device(fresh.deviceId)).asset_tag;

    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.site_admin);
    await tab.goto('tasks');
    await tab.page.locator('[data-page="tasks"]').waitFor();
    await tab.page.locator('[data-new-task]').click();
    await tab.page.locator('[data-person-picker]').fill('Ivy');
    await tab.page.getByRole('option', { name: /Ivy Lin/ }).click();
    await tab.page.locator('[data-task-asset-tag]').fill(tag);
    await tab.waitIdle();
    await tab.capture('tasks-create', { sizes: orientations });
    await tab.page.getByRole('button', { name: 'Create task' }).click();
    await tab.page.locator('[data-task][data-state="awaiting_load"]').waitFor();

    // The technician loads it: Place for pickup says there is one to load.
    const station = await KioskPage.open(suite.browser, kiosk.url, 'tasks');
    await station.scan('4200001');
    await station.heading('Technician mode — hi, Tomás!');
    expect(await station.text()).toContain('1 device to load for a pick-up task.');
    await station.tap(/Place repaired device for pickup/);
    await station.page.getByRole('heading', { name: 'Scan the repaired device’s asset tag' }).waitFor();
    await station.scan(tag);
    const door = lockerOf(await station.heading(/Locker \d+ is open/));
    kiosk.bank.put(door, 95);
    kiosk.bank.closeDoor(door);
    await station.heading('All done!');
    await station.tap('Finish');

    // The student sees it first, and one tap opens exactly that door.
    await station.scan('4100070');
    await station.heading('Hi, Ivy!');
    await station.page.getByText(`It is in locker ${door}`).waitFor();
    await station.capture('menu-pick-up');
    await station.tap(/IT has a device for you/);
    await station.heading(`Locker ${door} is open`);
    await station.capture('door-pick-up');
    kiosk.bank.take(door);
    kiosk.bank.closeDoor(door);
    await station.heading('All done!');
    expect(await kiosk.device(fresh.deviceId)).toMatchObject({ status: 'in_service', owner_id: ivy.personId });

    await tab.page.locator('[data-task-filter]').selectOption('done');
    const row = tab.page.locator('[data-task][data-state="done"]');
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain('Ivy Lin');
    expect(text).toContain(tag);
    expect(text).toContain(String(door));
    await tab.capture('tasks-done', { sizes: orientations });
  });

  it('a drop-off, in Spanish: the student leaves their device in the empty door that opens; listed as done', async () => {
    const dashboard = await suite.start({ kiosk: { doneSignOutSeconds: 60, language: 'es' } });
    const { kiosk } = dashboard;
    const db = kiosk.server.cubby.db;
    const ana = await kiosk.aStudent({ givenName: 'Ana', badge: '4100080' });
    await db.updateTable('people').set({ site_id: kiosk.siteId, family_name: 'García' }).where('id', '=', ana.personId).execute();
    const own = await anAssignedDevice(kiosk.server.cubby, kiosk.districtId, ana.personId);
    await db.updateTable('devices').set({ site_id: kiosk.siteId }).where('id', '=', own.deviceId).execute();

    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.site_admin);
    await tab.page.getByLabel('Language').selectOption('es');
    await tab.goto('tasks');
    await tab.page.getByRole('heading', { name: 'Tareas' }).waitFor();
    await tab.page.locator('[data-new-task]').click();
    await tab.page.locator('[data-task-kind]').selectOption('drop_off');
    await tab.page.locator('[data-person-picker]').fill('Ana');
    await tab.page.getByRole('option', { name: /Ana García/ }).click();
    await tab.page.getByRole('button', { name: 'Crear tarea' }).click();
    await tab.page.locator('[data-task][data-state="ready"]').waitFor();
    await tab.capture('tasks-open-es', { sizes: orientations });

    const station = await KioskPage.open(suite.browser, kiosk.url, 'tasks-es');
    await station.scan('4100080');
    await station.heading('¡Hola, Ana!');
    await station.capture('menu-drop-off');
    await station.tap(/Informática te pidió dejar tu dispositivo/);
    const door = lockerOf(await station.heading(/casillero \d+/i));
    await station.capture('door-drop-off');
    kiosk.bank.put(door, 30);
    kiosk.bank.closeDoor(door);
    await station.heading('¡Listo!');
    expect(await kiosk.device(own.deviceId)).toMatchObject({ status: 'awaiting_collection' });

    await tab.page.locator('[data-task-filter]').selectOption('done');
    const row = tab.page.locator('[data-task][data-state="done"]');
    await row.waitFor();
    expect(await row.innerText()).toContain('Ana García');
    await tab.capture('tasks-done-es', { sizes: orientations });
  });
});
