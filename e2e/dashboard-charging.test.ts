import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite } from './dashboard-harness.js';

const suite = useDashboardSuite();

/**
 * ISSUE12 item 1: "Loaners available" counted loaners the kiosk would not lend.
 * Door 1's loaner is at 90 %; doors 2 and 3 hold loaners at 30 % and 25 % that
 * went on their chargers just now: available 1, and "2 charging — lendable at
 * about HH:MM" (the campus's time) for the station and its campus.
 */
describe('the overview counts only lendable loaners', { timeout: 120_000 }, () => {
  it('shows 1 available and 2 charging with the time the first reaches the floor, per station and campus', async () => {
    const dashboard = await suite.start({
      loaners: [90, 30, 25],
      async seed({ server, station }) {
        await server.cubby.db
          .updateTable('compartments')
          .set({ charging_since: Date.now() })
          .where('station_id', '=', station.stationId)
          .where('number', 'in', [2, 3])
          .execute();
      },
    });
    const site = await dashboard.kiosk.server.cubby.db
      .selectFrom('sites')
      .select('time_zone')
      .where('id', '=', dashboard.kiosk.siteId)
      .executeTakeFirstOrThrow();
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.district_admin);
    const campus = tab.page.locator('[data-campus="Maple Valley High"]');
    const row = campus.locator('tbody tr').first();
    const available = row.locator('[data-count="loanersAvailable"]');
    await available.waitFor();
    // The 30 % loaner reaches the 50 % floor first: 20 points at 80 % per 90 minutes = 22½ minutes.
    const step = 5 * 60_000;
    const about = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: site.time_zone })
      .format(new Date(Math.ceil((Date.now() + 22.5 * 60_000) / step) * step))
      .replace(/\s/g, '\u00a0');
    expect((await available.innerText()).split('\n')[0]!.trim()).toBe('1');
    const note = `2 charging — lendable at about ${about}`;
    expect(await available.locator('[data-charging-note]').innerText()).toBe(note);
    expect(await campus.locator('[data-charging-note]').first().innerText()).toBe(note);
    expect(await tab.page.locator('[data-total="loanersAvailable"]').innerText()).toContain('1');
    await tab.capture('overview-charging', { fullPage: true });
  });
});
