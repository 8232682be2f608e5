import { describe, expect, it } from 'vitest';
import { DashboardPage, useDashboardSuite, type Dashboard } from './dashboard-harness.js';

// The browser sits in Tokyo; the demo campus is in Chicago. Every time shown must be Chicago's.
const suite = useDashboardSuite({ timezoneId: 'Asia/Tokyo' });
const sizes = { laptop: { width: 1280, height: 800 }, tablet: { width: 820, height: 1180 } };
const both = Object.entries(sizes);
const campusZone = 'America/Chicago';

/** How the campus's clock reads an instant (and, for contrast, Tokyo's): date, time and zone name. */
function clock(at: number, language: 'en' | 'es', timeZone = campusZone): string {
  const locale = language === 'es' ? 'es-US' : 'en-US';
  const text = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(at);
  const zone = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')!.value;
  return `${text} ${zone}`.replace(/\s+/g, ' ');
}
const squash = (text: string) => text.replace(/\s+/g, ' ');

/** Ana García, a Maple Valley High student, borrows a loaner at the Library station. */
async function aBorrow(dashboard: Dashboard) {
  const student = await dashboard.kiosk.aStudent({ badge: '4100090' });
  await dashboard.kiosk.server.cubby.db
    .updateTable('people')
    .set({ given_name: 'Ana', family_name: 'García', site_id: dashboard.kiosk.siteId })
    .where('id', '=', student.personId)
    .execute();
  await dashboard.kiosk.borrowed('4100090');
  const loan = await dashboard.kiosk.server.cubby.db
    .selectFrom('loans')
    .innerJoin('devices', 'devices.id', 'loans.device_id')
    .select(['devices.asset_tag', 'loans.due_at'])
    .where('loans.person_id', '=', student.personId)
    .executeTakeFirstOrThrow();
  return { assetTag: loan.asset_tag, dueAt: Number(loan.due_at) };
}

describe('records a person can read, in the campus time zone (browser in Tokyo)', { timeout: 120_000 }, () => {
  it('the audit log says who did what in a sentence, with names, at Chicago times, in English and Spanish', async () => {
    const dashboard = await suite.start();
    const { assetTag, dueAt } = await aBorrow(dashboard);
    const tab = await DashboardPage.open(suite.browser, dashboard, sizes.laptop);
    await tab.signIn(dashboard.users.site_admin);
    const events = await tab.page.request.get(new URL('/api/v1/audit-events?action=loan.started', tab.base).href);
    const started = (await events.json()).items[0] as { at: number };

    await tab.goto('audit');
    const row = tab.page.locator('tbody tr', { hasText: 'borrowed loaner' });
    await row.waitFor();
    expect(squash(await row.innerText())).toContain(`Ana García borrowed loaner ${assetTag} at Library station`);
    expect(squash(await row.innerText())).toContain(clock(started.at, 'en'));
    expect(squash(await row.innerText())).not.toContain(clock(started.at, 'en', 'Asia/Tokyo'));
    // No raw JSON or ids left in the table.
    expect(await tab.page.locator('tbody').innerText()).not.toMatch(/[{}]|[0-9a-f]{8}-[0-9a-f]{4}/);
    await tab.capture('audit-names', { sizes: both });

    await tab.page.getByLabel('Language').selectOption('es');
    const fila = tab.page.locator('tbody tr', { hasText: 'tomó prestado' });
    await fila.waitFor();
    expect(squash(await fila.innerText())).toContain(`Ana García tomó prestado el equipo ${assetTag} en la estación Library`);
    expect(squash(await fila.innerText())).toContain(clock(started.at, 'es'));
    await tab.capture('audit-names-es', { sizes: both });

    // The loan's due time is the campus's end of day, shown on Chicago's clock.
    await tab.page.getByRole('link', { name: 'Préstamos' }).click();
    await tab.page.locator('[data-page="loans"] table[data-rows="1"]').waitFor();
    expect(squash(await tab.page.locator('tbody').innerText())).toContain(clock(dueAt, 'es'));
    await tab.page.getByLabel('Idioma').selectOption('en');
    await tab.page.locator('[data-page="loans"] table[data-rows="1"]').waitFor();
    expect(squash(await tab.page.locator('tbody').innerText())).toContain(clock(dueAt, 'en'));
    expect(squash(await tab.page.locator('tbody').innerText())).toContain('3:30 PM CST');
    await tab.capture('loans-campus-time', { sizes: both });
  });

  it('the overview chart is drawn from the first frame in its own layout, never a grey box', async () => {
    const dashboard = await suite.start();
    const page = await suite.browser.context.newPage();
    await page.setViewportSize(sizes.laptop);
    // Hold ECharts' chunk back, as a slow school network would.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/assets\/CampusChart-[^/]*\.js$/, async (route) => {
      await held;
      await route.continue();
    });
    const tab = new DashboardPage(page, dashboard.url);
    await page.goto(dashboard.url);
    await tab.signIn(dashboard.users.district_admin);
    const preview = page.locator('[data-chart-preview]');
    await preview.waitFor();
    expect(await page.locator('.mantine-Skeleton-root').count()).toBe(0);
    expect(squash(await preview.innerText())).toMatch(/Loaners available.*Devices out.*Maple Valley High.*Oak Ridge Middle/);
    await tab.capture('overview-chart-first-frame', { sizes: both });
    await page.getByLabel('Language').selectOption('es');
    await preview.getByText('Préstamos disponibles', { exact: true }).waitFor();
    await tab.capture('overview-chart-first-frame-es', { sizes: both });
    await page.getByLabel('Idioma').selectOption('en');
    release();
    await page.locator('[data-chart] svg').waitFor();
    expect(await preview.count()).toBe(0);
    await tab.capture('overview-chart', { sizes: both });
  });
});
