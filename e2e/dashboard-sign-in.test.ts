import { freePort } from '@cubby/db/pg-cluster';
import { aDistrict } from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../packages/server/src/testing/harness.js';
import { startOidcProvider } from '../packages/server/src/testing/oidc-provider.js';
import { aUser } from '../packages/server/src/testing/users.js';
import { launchChromium } from './chromium.js';
import { DashboardPage, laptop, useDashboardSuite } from './dashboard-harness.js';
import { startKiosk } from './kiosk-harness.js';

// Functions given to page.evaluate run in the page (see kiosk-page.ts).
declare const document: any;

const suite = useDashboardSuite();

describe('signing in and out', { timeout: 90_000 }, () => {
  it('says clearly when the password is wrong, and when the account is locked out', async () => {
    const dashboard = await suite.start();
    const tab = await DashboardPage.open(suite.browser, dashboard);
    const admin = dashboard.users.district_admin;
    await tab.page.getByLabel(/^Email/).fill(admin.email);
    const password = tab.page.locator('input[autocomplete="current-password"]');
    await password.fill('not the password');
    await tab.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await tab.page.locator('[data-error="bad_credentials"]').waitFor();
    expect(await tab.page.getByRole('alert').innerText()).toContain('don’t match an account');
    await tab.capture('sign-in-bad-password');
    for (let i = 0; i < 6; i++) {
      await Promise.all([
        tab.page.waitForResponse((r) => r.url().endsWith('/auth/login')),
        tab.page.getByRole('button', { name: 'Sign in', exact: true }).click(),
      ]);
    }
    await tab.page.locator('[data-error="locked_out"]').waitFor();
    expect(await tab.page.getByRole('alert').innerText()).toContain('locked for 15 minutes');
  });

  it('signs out, and says so', async () => {
    const dashboard = await suite.start();
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.signIn(dashboard.users.auditor);
    expect(await tab.page.getByTestId('signed-in-as').innerText()).toBe('Avery Audit');
    await tab.page.getByRole('button', { name: 'Sign out' }).click();
    await tab.page.getByRole('heading', { name: 'Sign in to Cubby' }).waitFor();
    expect(await tab.page.getByRole('status').innerText()).toContain('You are signed out.');
    await tab.page.reload();
    await tab.page.getByRole('heading', { name: 'Sign in to Cubby' }).waitFor();
  });

  it('a new install asks for the first district admin, then signs them in', async () => {
    const kiosk = await startKiosk();
    try {
      const tab = await DashboardPage.open(suite.browser, { url: `${kiosk.server.url}/dashboard/` } as never);
      await tab.page.getByRole('heading', { name: 'Welcome to Cubby' }).waitFor();
      await tab.capture('setup');
      await tab.page.getByLabel(/^Your name/).fill('Pat Principal');
      await tab.page.getByLabel(/^Email/).fill('pat@district.test');
      await tab.page.locator('input[autocomplete="new-password"]').nth(0).fill('a long enough password');
      await tab.page.locator('input[autocomplete="new-password"]').nth(1).fill('a long enough password');
      await tab.page.getByRole('button', { name: 'Create account and sign in' }).click();
      await tab.page.locator('[data-page="overview"]').waitFor();
      expect(await tab.page.getByTestId('signed-in-as').innerText()).toBe('Pat Principal');
    } finally {
      await kiosk.close();
    }
  });

  it('switches to Spanish, everywhere, and keeps it after a reload', async () => {
    const dashboard = await suite.start();
    await dashboard.kiosk.aStudent({ givenName: 'Ivy', badge: '4100070' });
    await dashboard.kiosk.borrowed('4100070');
    const tab = await DashboardPage.open(suite.browser, dashboard);
    await tab.page.getByLabel('Language').selectOption('es');
    await tab.page.getByRole('heading', { name: 'Iniciar sesión en Cubby' }).waitFor();
    expect(await tab.page.evaluate(() => document.documentElement.lang)).toBe('es');
    await tab.page.getByLabel(/^Correo electrónico/).fill(dashboard.users.district_admin.email);
    await tab.page.locator('input[autocomplete="current-password"]').fill(dashboard.users.district_admin.password);
    await tab.page.getByRole('button', { name: 'Iniciar sesión', exact: true }).click();
    await tab.page.locator('[data-page="overview"]').waitFor();
    expect(await tab.heading()).toBe('Resumen del distrito');
    expect(await tab.navLinks()).toEqual([
      'Resumen',
      'Dispositivos',
      'Personas',
      'Préstamos',
      'Reparaciones',
      'Tablero de reparaciones',
      'Tareas',
      'Capacidad',
      'Registro de auditoría',
      'Importar',
      'Configuración',
    ]);
    await tab.page.locator('[data-chart] svg').waitFor();
    await tab.capture('overview-es', { fullPage: true });
    await tab.goto('loans');
    await tab.page.locator('table[data-rows="1"]').waitFor();
    expect(await tab.page.locator('table tbody').innerText()).toContain('Olvidó su Chromebook');
    await tab.capture('loans-es');
    await tab.goto(`stations/${dashboard.kiosk.station.stationId}`);
    expect(await tab.page.locator('.door[data-number="2"]').innerText()).toContain('Casillero 2');
    await tab.page.reload();
    await tab.page.locator('[data-page="station"]').waitFor();
    expect(await tab.page.getByRole('link', { name: 'Resumen', exact: true }).count()).toBe(1);
  });
});

describe('single sign-on', { timeout: 90_000 }, () => {
  it('the button leads through the district provider and back, signed in', async () => {
    const port = await freePort();
    const cubbyUrl = `http://127.0.0.1:${port}`;
    const idp = await startOidcProvider({
      redirectUri: `${cubbyUrl}/api/v1/auth/oidc/callback`,
      accounts: { 'g-1001': { email: 'grace@district.test' } },
    });
    const server = await startTestServer('sqlite', {
      PORT: String(port),
      CUBBY_OIDC_ISSUER: idp.issuer,
      CUBBY_OIDC_CLIENT_ID: idp.clientId,
      CUBBY_OIDC_CLIENT_SECRET: idp.clientSecret,
      CUBBY_OIDC_REDIRECT_URL: `${cubbyUrl}/api/v1/auth/oidc/callback`,
    });
    // A browser of its own: closing it drops its sockets to the provider, whose close waits for them.
    const browser = await launchChromium(laptop);
    try {
      await aDistrict(server.cubby);
      await aUser(server.cubby, { role: 'auditor', email: 'grace@district.test', name: 'Grace Hopper' });
      const page = await browser.context.newPage();
      const tab = new DashboardPage(page, `${cubbyUrl}/dashboard/`);
      await page.goto(`${cubbyUrl}/dashboard/`);
      await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
      // The test provider's own sign-in and consent pages.
      await page.locator('input[name="login"]').fill('g-1001');
      await page.locator('input[name="password"]').fill('any');
      await Promise.all([page.waitForURL((url) => !url.href.includes('/login')), page.locator('button[type="submit"]').click()]);
      if (!page.url().startsWith(cubbyUrl)) await page.locator('button[type="submit"]').click(); // consent
      await page.locator('[data-page="overview"]').waitFor({ timeout: 10_000 });
      expect(await page.getByTestId('signed-in-as').innerText()).toBe('Grace Hopper');
      expect(tab.errors).toEqual([]);
    } finally {
      await browser.close();
      await server.close();
      await idp.close();
    }
  });
});
