import { anAssignedDevice } from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

// Runs in the page (see kiosk-page.ts).
declare const document: { activeElement: { textContent: string | null } | null };

const suite = useDashboardSuite();
const orientations = [
  ['landscape', { width: 1280, height: 800 }],
  ['portrait', { width: 1080, height: 1920 }],
] as const;

/**
 * The lifecycle buttons of the device page (issue 14): unassign, the
 * reassignment a wipe must come first for, the wipe, lost, found and retire,
 * each from the keyboard, each dialog saying what the step does, in English
 * and Spanish, landscape and portrait, axe clean.
 */
describe('the device lifecycle on its page', { timeout: 180_000 }, () => {
  it('unassign, a refused reassignment, wipe, reassign, lost, found and retire, by keyboard, in English and Spanish', async () => {
    const dashboard = await suite.start();
    const { kiosk } = dashboard;
    const db = kiosk.server.cubby.db;
    const named = async (givenName: string, familyName: string) => {
      const student = await kiosk.aStudent({ givenName });
      await db
        .updateTable('people')
        .set({ site_id: kiosk.siteId, family_name: familyName })
        .where('id', '=', student.personId)
        .execute();
      return student;
    };
    const ivy = await named('Ivy', 'Lin');
    const noah = await named('Noah', 'Park');
    const own = await anAssignedDevice(kiosk.server.cubby, kiosk.districtId, ivy.personId);
    await db.updateTable('devices').set({ site_id: kiosk.siteId }).where('id', '=', own.deviceId).execute();
    const device = () => db.selectFrom('devices').selectAll().where('id', '=', own.deviceId).executeTakeFirstOrThrow();
    const tag = (await device()).asset_tag;

    const tab = await DashboardPage.open(suite.browser, dashboard, orientations[0][1]);
    await tab.signIn(dashboard.users.site_admin);
    await tab.goto(`devices/${own.deviceId}`);
    const page = tab.page;
    const status = page.locator('[data-page="device"] [data-status]').first();
    const actions = page.locator('[data-device-actions]');
    const dialog = page.getByRole('dialog');
    /** Reaches a button of the header with Tab (from the page's back link) and presses Enter on it. */
    async function byKeyboard(name: string) {
      await page.getByRole('link', { name: /All devices|Todos los dispositivos/ }).focus();
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        if ((await page.evaluate(() => document.activeElement?.textContent ?? '')).trim() === name) break;
      }
      expect((await page.evaluate(() => document.activeElement?.textContent ?? '')).trim(), `${name} is reached by Tab`).toBe(
        name,
      );
      await page.keyboard.press('Enter');
      await dialog.waitFor();
    }
    await tab.capture('device-lifecycle', { sizes: orientations });
    expect(await actions.getByRole('button').allInnerTexts()).toEqual([
      'Edit',
      'Record a wipe',
      'Mark lost',
      'Retire',
      'Unassign',
    ]);

    // Ivy gives it back.
    await byKeyboard('Unassign');
    await dialog.getByRole('button', { name: 'Unassign' }).press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await device()).owner_id).toBeNull();

    // Not to Noah before a wipe: the dialog says why, nothing changes.
    await byKeyboard('Assign to a student');
    await dialog.getByLabel('Find a student').fill('Noah');
    await dialog.getByRole('button', { name: /Assign to Noah Park/ }).click();
    await dialog
      .getByText('Wipe it first: it has not been wiped since its last holder had it. Close this and choose “Record a wipe”.')
      .waitFor();
    await tab.capture('device-lifecycle-wipe-required', { sizes: orientations });
    expect((await device()).owner_id).toBeNull();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // The wipe, with its method.
    await byKeyboard('Record a wipe');
    expect(await dialog.innerText()).toContain(`Records that ${tag} was wiped, how, and that you did it.`);
    await dialog.getByLabel('Method').click();
    await page.getByRole('option', { name: 'Reimage' }).click();
    await tab.capture('device-lifecycle-wipe', { sizes: orientations });
    await dialog.getByRole('button', { name: 'Record a wipe' }).press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await device()).wiped_at).not.toBeNull();

    // Now Noah may have it.
    await byKeyboard('Assign to a student');
    await dialog.getByLabel('Find a student').fill('Noah');
    await dialog.getByRole('button', { name: /Assign to Noah Park/ }).press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await device()).owner_id).toBe(noah.personId);

    // In Spanish: lost, found, retired.
    await page.getByLabel('Language').selectOption('es');
    await actions.getByRole('button', { name: 'Marcar como perdido' }).waitFor();
    await byKeyboard('Marcar como perdido');
    expect(await dialog.innerText()).toContain(`${tag} queda marcado como perdido`);
    await tab.capture('device-lifecycle-lost-es', { sizes: orientations });
    await dialog.getByRole('button', { name: 'Marcar como perdido' }).press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-page="device"] [data-status="lost"]').waitFor();
    await byKeyboard('Marcar como encontrado');
    await dialog.getByRole('button', { name: 'Marcar como encontrado' }).press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-page="device"] [data-status="in_repair"]').waitFor();
    await byKeyboard('Dar de baja');
    await dialog.getByLabel('Motivo').click();
    await page.getByRole('option', { name: 'Reciclado' }).click();
    await dialog.getByLabel('Referencia del certificado (opcional)').fill('RC-2291');
    await tab.capture('device-lifecycle-retire-es', { sizes: orientations });
    await dialog.getByRole('button', { name: 'Dar de baja' }).press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-page="device"] [data-status="retired"]').waitFor();
    expect(await status.getAttribute('data-status')).toBe('retired');
    expect(await device()).toMatchObject({ status: 'retired' });
    // A retired device takes no further step.
    await expect.poll(() => actions.getByRole('button').allInnerTexts()).toEqual(['Editar', expect.any(String)]);

    // The timeline tells it, newest first.
    const timeline = page.locator('[data-timeline]');
    // Each step in the audit log's sentences, the retirement with its reason.
    await expect
      .poll(() => timeline.innerText(), { timeout: 10_000 })
      .toContain(`Sam Campus dio de baja el dispositivo ${tag}: reciclado`);
    expect(await timeline.innerText()).toContain(`Sam Campus le quitó ${tag} a Ivy Lin: ya no es de nadie`);
    await tab.capture('device-lifecycle-retired-es', { sizes: orientations, fullPage: true });
    const actionsLogged = await kiosk.auditActions();
    for (const action of [
      'device.unassigned',
      'device.wiped',
      'device.assigned',
      'device.marked_lost',
      'device.found',
      'device.retired',
    ])
      expect(actionsLogged).toContain(action);
    expect(tab.errors).toEqual([]);
  });
});
