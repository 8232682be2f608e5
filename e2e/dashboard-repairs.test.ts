import { newId } from '@cubby/db';
import { repairStatuses, type RepairStatus } from '@cubby/core';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite, type Dashboard } from './dashboard-harness.js';
import { aPng } from './png.js';

// Runs in the page (see kiosk-page.ts).
declare const DataTransfer: new () => unknown;

// The browser sits in Tokyo; the campus is in Chicago: every time on the ticket must be Chicago's.
const suite = useDashboardSuite({ timezoneId: 'Asia/Tokyo' });
const landscape = { width: 1280, height: 800 };
const portrait = { width: 1080, height: 1920 };
const phone = { width: 390, height: 844 };
const orientations = [
  ['landscape', landscape],
  ['portrait', portrait],
] as const;
const day = 86_400_000;

const timestamps: RepairStatus[] = ['awaiting_collection', 'collected', 'in_repair', 'repaired', 'ready_for_pickup', 'closed'];
const column = (status: RepairStatus) => `${status}_at` as const;

/**
 * Tickets on every step of the road at Maple Valley High, each on its own
 * Chromebook of a named student, entered its step `days` ago (earlier steps a day apart).
 */
async function someTickets(dashboard: Dashboard) {
  const db = dashboard.kiosk.server.cubby.db;
  const now = Date.now();
  const plan: {
    tag: string;
    model: string;
    given: string;
    family: string;
    status: RepairStatus;
    days: number;
    warranty?: number;
  }[] = [
    { tag: 'CB-10401', model: 'Chromebook 11 G9', given: 'Ana', family: 'García', status: 'reported', days: 0.1 },
    { tag: 'CB-10402', model: 'Chromebook 11 G9', given: 'Ben', family: 'Okafor', status: 'awaiting_collection', days: 3 },
    { tag: 'CB-10403', model: 'Chromebook 14', given: 'Chloe', family: 'Nguyen', status: 'collected', days: 1, warranty: 200 },
    { tag: 'CB-10404', model: 'Chromebook 11 G9', given: 'Diego', family: 'Ramírez', status: 'in_repair', days: 2 },
    { tag: 'CB-10405', model: 'Chromebook 14', given: 'Elif', family: 'Demir', status: 'repaired', days: 1 },
    { tag: 'CB-10406', model: 'Chromebook 11 G9', given: 'Farah', family: 'Haddad', status: 'ready_for_pickup', days: 0.5 },
    { tag: 'CB-10407', model: 'Chromebook 14', given: 'Gus', family: 'Larsen', status: 'closed', days: 4 },
  ];
  const ids: Record<string, { ticketId: string; deviceId: string; personId: string }> = {};
  for (const p of plan) {
    const student = await dashboard.kiosk.aStudent();
    await db
      .updateTable('people')
      .set({ given_name: p.given, family_name: p.family, site_id: dashboard.kiosk.siteId })
      .where('id', '=', student.personId)
      .execute();
    const deviceId = newId();
    const deviceStatus =
      p.status === 'closed'
        ? 'in_service'
        : p.status === 'ready_for_pickup'
          ? 'ready_for_pickup'
          : p.status === 'reported' || p.status === 'awaiting_collection'
            ? 'awaiting_collection'
            : 'in_repair';
    await db
      .insertInto('devices')
      .values({
        id: deviceId,
        district_id: dashboard.kiosk.districtId,
        site_id: dashboard.kiosk.siteId,
        asset_tag: p.tag,
        serial: `SN${p.tag.slice(3)}`,
        model: p.model,
        pool: 'assigned',
        owner_id: student.personId,
        status: deviceStatus,
        condition: 'good',
        battery_percent: 50,
        loan_count: 0,
        last_loaned_at: null,
        warranty_end: p.warranty ? now + p.warranty * day : now - 30 * day,
        created_at: now - 400 * day,
        updated_at: now,
      })
      .execute();
    // Each step a day before the next; the ticket's own step began `days` ago.
    const reach = p.status === 'reported' ? -1 : timestamps.indexOf(p.status);
    const entered = now - p.days * day;
    const at = (i: number) => entered - (reach - i) * day;
    const steps = Object.fromEntries(timestamps.map((s, i) => [column(s), i <= reach ? Math.round(at(i)) : null]));
    const ticketId = newId();
    await db
      .insertInto('repair_tickets')
      .values({
        id: ticketId,
        device_id: deviceId,
        person_id: student.personId,
        transaction_id: null,
        loan_id: null,
        status: p.status,
        symptom: p.status === 'in_repair' ? 'keyboard' : 'screen',
        notes: '',
        cost_cents: null,
        warranty_claim: 0,
        fee_cents: null,
        compartment_id: null,
        reported_at: Math.round(reach < 0 ? entered : at(-1)),
        retired_at: null,
        ...steps,
      } as never)
      .execute();
    ids[p.tag] = { ticketId, deviceId, personId: student.personId };
  }
  return ids;
}

/**
 * A drag and drop as the browser sends it (dragstart on the card, dragenter, dragover and drop on
 * the column, dragend), with one DataTransfer: Playwright's mouse-driven dragTo stalls on this busy box.
 */
async function drag(source: Locator, target: Locator) {
  const dataTransfer = await source.page().evaluateHandle(() => new DataTransfer());
  await source.dispatchEvent('dragstart', { dataTransfer });
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
  await source.dispatchEvent('dragend', { dataTransfer });
}

const ticketRow = (dashboard: Dashboard, id: string) =>
  dashboard.kiosk.server.cubby.db.selectFrom('repair_tickets').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('the repair board and a ticket page', { timeout: 180_000 }, () => {
  it('moves cards by button and by drag, records work, a photo and a hand-opened ticket, in English and Spanish', async () => {
    const dashboard = await suite.start();
    const tickets = await someTickets(dashboard);
    const tab = await DashboardPage.open(suite.browser, dashboard, landscape);
    await tab.signIn(dashboard.users.site_admin);
    const page = tab.page;

    // The board: one column per step, each card in its own.
    await page.getByRole('navigation').getByRole('link', { name: 'Repair board', exact: true }).click();
    await page.locator('[data-page="repair-board"]').waitFor();
    const card = (tag: string) => page.locator(`[data-card="${tag}"]`);
    const columnOf = (tag: string) => card(tag).evaluate((el) => el.closest('[data-column]')!.getAttribute('data-column'));
    await card('CB-10403').waitFor();
    // One column per state, in core's order.
    expect(await page.locator('[data-column]').evaluateAll((els) => els.map((e) => e.getAttribute('data-column')))).toEqual([
      ...repairStatuses,
    ]);
    expect(await columnOf('CB-10402')).toBe('awaiting_collection');
    const waiting = await card('CB-10402').innerText();
    expect(waiting).toContain('Ben Okafor');
    expect(waiting).toContain('Chromebook 11 G9');
    expect(waiting).toContain('Screen');
    expect(waiting).toContain('Maple Valley High');
    expect(waiting).toContain('3 days');
    await page.locator('[data-turnaround]').waitFor();
    await tab.capture('repairs-board', { sizes: orientations });
    await tab.capture('repairs-board', { sizes: [['phone', phone]] });
    // On a phone the columns scroll sideways inside the board, not the page.
    await page.setViewportSize(phone);
    expect(await page.locator('.board-scroll').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await page.setViewportSize(landscape);

    // By button (keyboard reachable): the collected device goes into repair.
    const start = card('CB-10403').getByRole('button', { name: /Start the repair/ });
    await start.focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-column="in_repair"] [data-card="CB-10403"]').waitFor();
    expect((await ticketRow(dashboard, tickets['CB-10403']!.ticketId)).status).toBe('in_repair');
    await page.locator('[data-move-status]').filter({ hasText: 'CB-10403 moved to “In repair”.' }).waitFor();

    // By drag: the keyboard repair is done, dropped onto "Repaired" (the HTML5 drag events, one by one).
    await drag(card('CB-10404'), page.locator('[data-column="repaired"]'));
    await page.locator('[data-column="repaired"] [data-card="CB-10404"]').waitFor();
    expect((await ticketRow(dashboard, tickets['CB-10404']!.ticketId)).status).toBe('repaired');
    // A drop where the move is not legal does nothing (awaiting collection → closed).
    await drag(card('CB-10402'), page.locator('[data-column="closed"]'));
    expect(await columnOf('CB-10402')).toBe('awaiting_collection');
    expect((await ticketRow(dashboard, tickets['CB-10402']!.ticketId)).status).toBe('awaiting_collection');

    // Filters: by model, then by age in the step.
    await page.getByLabel('Model', { exact: true }).selectOption('Chromebook 14');
    await page.locator('[data-card]').first().waitFor();
    await expect.poll(() => card('CB-10402').count()).toBe(0);
    expect(await card('CB-10403').count()).toBe(1);
    await page.getByLabel('Model', { exact: true }).selectOption({ index: 0 });
    await page.waitForURL((url) => !url.search.includes('model'));
    await page.getByLabel('In the step for at least').selectOption('3');
    await expect.poll(() => card('CB-10401').count()).toBe(0);
    await page.locator('.board-scroll[aria-busy="false"]').waitFor();
    expect(await card('CB-10402').count()).toBe(1);
    await page.getByLabel('In the step for at least').selectOption({ index: 0 });
    await page.waitForURL((url) => !url.search.includes('minAgeDays'));
    await card('CB-10401').waitFor();

    // The ticket page: device, student, warranty, steps with who and when.
    await card('CB-10403').getByRole('link', { name: 'CB-10403' }).click();
    await page.locator('[data-page="repair-ticket"]').waitFor();
    expect(await tab.heading()).toBe('Ticket for CB-10403');
    expect(await page.locator('[data-warranty]').textContent()).toBe('In warranty');
    await page.getByRole('link', { name: 'Chloe Nguyen' }).waitFor();
    await page.locator('[data-steps] [data-step="in_repair"]').waitFor();
    const stepRow = await page.locator('[data-steps] [data-step="in_repair"]').innerText();
    expect(stepRow).toContain('Sam Campus');
    expect(stepRow).toMatch(/C[SD]T/);

    // Notes, parts and a cost, saved.
    await page.getByLabel('Notes', { exact: true }).fill('Hinge cracked; replaced the screen bezel.');
    await page.getByLabel('Parts', { exact: true }).fill('Screen bezel');
    await page.getByLabel('Cost (USD)').fill('45.50');
    await page.getByRole('button', { name: 'Save the work' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = await ticketRow(dashboard, tickets['CB-10403']!.ticketId);
    expect(saved.notes).toBe('Hinge cracked; replaced the screen bezel.');
    expect(Number(saved.cost_cents)).toBe(4550);

    // A photo: uploaded from a file, shown as a thumbnail from its own URL.
    await page.locator('input[type="file"]').setInputFiles({ name: 'crack.png', mimeType: 'image/png', buffer: aPng() });
    const thumbnail = page.locator('[data-photos="1"] img');
    await thumbnail.waitFor();
    await expect
      .poll(() =>
        thumbnail.evaluate((el) => {
          const img = el as unknown as { complete: boolean; naturalWidth: number };
          return img.complete && img.naturalWidth;
        }),
      )
      .toBe(64);
    const photos = await dashboard.kiosk.server.cubby.db
      .selectFrom('repair_photos' as never)
      .selectAll()
      .where('ticket_id' as never, '=', tickets['CB-10403']!.ticketId as never)
      .execute();
    expect(photos).toHaveLength(1);
    expect(photos[0]).toMatchObject({ content_type: 'image/png' });
    await page.locator('[data-links]').waitFor();
    await tab.capture('repair-ticket', { sizes: orientations, fullPage: true });

    // The next move from the ticket page too.
    await page.locator('[data-page="repair-ticket"] [data-move="repair_finished"]').click();
    await page.locator('[data-ticket-status="repaired"]').waitFor();
    expect((await ticketRow(dashboard, tickets['CB-10403']!.ticketId)).status).toBe('repaired');

    // In Spanish.
    await page.getByLabel('Language').selectOption('es');
    await page.getByRole('heading', { name: 'Orden de CB-10403' }).waitFor();
    expect(await page.locator('[data-warranty]').textContent()).toBe('En garantía');
    await tab.capture('repair-ticket-es', { sizes: orientations, fullPage: true });
    // A phone's header in Spanish: the language and "Cerrar sesión" still fit.
    await tab.capture('repair-ticket-es', { sizes: [['phone', phone]] });
    // There, Sign out waits in the menu.
    await page.setViewportSize(phone);
    await page.getByRole('button', { name: 'Menú' }).click();
    await page.getByRole('navigation').getByRole('button', { name: 'Cerrar sesión' }).waitFor();
    await page.getByRole('button', { name: 'Menú' }).click();
    await page.setViewportSize(landscape);
    await page.getByRole('link', { name: '← Tablero de reparaciones' }).click();
    await page.locator('[data-page="repair-board"]').waitFor();
    await card('CB-10402').waitFor();
    expect(await card('CB-10402').innerText()).toContain('3 días');
    await tab.capture('repairs-board-es', { sizes: orientations });
    await page.getByLabel('Idioma').selectOption('en');

    // A device brought to the IT office: a ticket opened by hand.
    await page.getByRole('button', { name: 'Open a ticket' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel(/Device \(asset tag\)/).fill('CB-1040');
    await page.getByRole('option', { name: /CB-10407/ }).click();
    await dialog.getByLabel('Symptom').selectOption('battery');
    await dialog.getByLabel('Notes').fill('Brought in by a teacher: battery swells.');
    await tab.capture('repairs-open-ticket', { sizes: [['landscape', landscape]] });
    await dialog.getByRole('button', { name: 'Open the ticket' }).click();
    await page.locator('[data-page="repair-ticket"]').waitFor();
    expect(await tab.heading()).toBe('Ticket for CB-10407');
    const opened = await dashboard.kiosk.server.cubby.db
      .selectFrom('repair_tickets')
      .selectAll()
      .where('device_id', '=', tickets['CB-10407']!.deviceId)
      .where('status', 'not in', ['closed', 'retired'])
      .executeTakeFirstOrThrow();
    expect(opened).toMatchObject({ symptom: 'battery', notes: 'Brought in by a teacher: battery swells.' });
    expect(await dashboard.kiosk.auditActions()).toEqual(expect.arrayContaining(['repair.opened']));
    expect(tab.errors).toEqual([]);
  });
});
