import { aLoaner, aStudent } from '@cubby/server/testing';
import { aPastLoan } from '@cubby/server/testing/loan-history';
import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

const suite = useDashboardSuite();
const day = 86_400_000;

/**
 * The Capacity page (issue 17): Maple Valley High lent six loaners at once on
 * each of the last twenty weekdays from its two; Oak Ridge Middle holds six it
 * never lent. The page says Maple is short and Oak Ridge has spares, moves the
 * six, and says what is still short; a campus technician sees Maple only and
 * no moves. In Spanish too.
 */
describe('the Capacity page', { timeout: 180_000 }, () => {
  it('shows each campus against its plan and the moves of spares, by keyboard, in English and Spanish', async () => {
    const dashboard = await suite.start({
      async seed({ server, districtId, siteId, station }) {
        const db = server.cubby.db;
        await db.updateTable('devices').set({ site_id: siteId }).where('pool', '=', 'loaner').execute();
        const loaners = await db.selectFrom('devices').select('id').where('pool', '=', 'loaner').execute();
        const student = await aStudent(server.cubby, server.services.keys, districtId, { siteId });
        let days = 0;
        for (let d = 1; days < 20; d++) {
          const start = new Date(Date.now() - d * day);
          if (start.getUTCDay() === 0 || start.getUTCDay() === 6) continue;
          days++;
          start.setUTCHours(14, 0, 0, 0);
          for (let i = 0; i < 6; i++)
            await aPastLoan(server.cubby, {
              stationId: station.stationId,
              compartmentId: station.compartments[0]!.id,
              personId: student.personId,
              deviceId: loaners[i % loaners.length]!.id,
              startedAt: start.getTime(),
              endedAt: start.getTime() + 5 * 3_600_000,
            });
        }
      },
    });
    const oak = await dashboard.kiosk.server.cubby.db
      .selectFrom('compartments')
      .innerJoin('stations', 'stations.id', 'compartments.station_id')
      .select('compartments.id')
      .where('stations.site_id', '=', dashboard.otherSiteId)
      .execute();
    for (const c of oak) {
      const { deviceId } = await aLoaner(dashboard.kiosk.server.cubby, dashboard.kiosk.districtId, c.id);
      await dashboard.kiosk.server.cubby.db
        .updateTable('devices')
        .set({ site_id: dashboard.otherSiteId })
        .where('id', '=', deviceId)
        .execute();
    }

    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    await tab.page.getByRole('navigation').getByRole('link', { name: 'Capacity' }).click();
    await tab.page.locator('[data-capacity-table]').waitFor();
    expect(await tab.heading()).toBe('Loaner capacity');
    const maple = tab.page.locator(`[data-campus="${dashboard.kiosk.siteId}"]`);
    const oakRow = tab.page.locator(`[data-campus="${dashboard.otherSiteId}"]`);
    expect(await maple.locator('[data-current]').innerText()).toBe('2');
    // Badges are drawn in capitals; the words are what a screen reader says.
    expect(await maple.locator('[data-balance="short"]').textContent()).toMatch(/^\d+ short$/);
    expect(await oakRow.locator('[data-current]').innerText()).toBe('6');
    expect(await oakRow.locator('[data-recommended]').innerText()).toBe('0');
    expect(await oakRow.locator('[data-balance="spare"]').textContent()).toBe('6 spare');
    const needed = Number(await maple.locator('[data-recommended]').innerText());
    expect(needed).toBeGreaterThanOrEqual(6);
    const moves = tab.page.locator('[data-moves]');
    expect(await moves.locator('[data-move]').allInnerTexts()).toEqual([
      'Move 6 loaners from Oak Ridge Middle to Maple Valley High',
    ]);
    expect(await moves.innerText()).toContain(`the district is ${needed - 8} loaner`);
    await tab.capture('capacity', { fullPage: true });

    // By keyboard: a lower service level needs no more loaners than the higher one.
    await tab.page.getByLabel('Requests to serve').focus();
    await tab.page.keyboard.press('ArrowUp');
    await expect
      .poll(async () => Number(await maple.locator('[data-recommended]').innerText()), { timeout: 10_000 })
      .toBeLessThan(needed);

    await tab.page.getByLabel('Language').selectOption('es');
    await tab.page.getByRole('heading', { name: 'Capacidad de préstamo' }).waitFor();
    expect(await oakRow.locator('[data-balance="spare"]').textContent()).toBe('Sobran 6');
    await tab.capture('capacity-es', { fullPage: true });

    await tab.page.getByLabel('Idioma').selectOption('en');
    await tab.page.getByRole('button', { name: 'Sign out' }).click();
    await tab.signIn(dashboard.users.technician);
    await tab.goto('capacity');
    await tab.page.locator('[data-capacity-table]').waitFor();
    expect(await tab.page.locator('[data-campus]').count()).toBe(1);
    expect(await tab.page.locator('[data-moves]').count()).toBe(0);
  });
});
