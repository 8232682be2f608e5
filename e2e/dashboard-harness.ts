import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { StaffRole } from '@cubby/core';
import { aSite, aStation } from '@cubby/server/testing';
import { aUser } from '../packages/server/src/testing/users.js';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { expectNoCspViolations, launchChromium, type KioskBrowser } from './chromium.js';
import { startKiosk, type KioskSetup } from './kiosk-harness.js';
import { screenshotDir } from './kiosk-page.js';

// The functions given to page.evaluate run in the page (see kiosk-page.ts).
declare const document: any;
declare const window: any;
declare function requestAnimationFrame(callback: () => void): number;

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const laptop = { width: 1366, height: 768 };
export const tablet = { width: 768, height: 1024 };

export type DashboardUser = { id: string; email: string; password: string; name: string };

/**
 * The kiosk harness's whole product (a real server on a fresh database, a
 * connected station on a simulated bank) plus what the dashboard needs: a
 * second campus with a station that never connected, and one signed-in-able
 * user per staff role (campus roles get the first campus only).
 */
export async function startDashboard(setup: KioskSetup = {}) {
  let otherSiteId = '';
  const kiosk = await startKiosk({
    ...setup,
    async seed(ctx) {
      otherSiteId = await aSite(ctx.server.cubby, ctx.districtId, { name: 'Oak Ridge Middle' });
      await aStation(ctx.server.cubby, otherSiteId, { name: 'Media Center', compartments: 6 });
      await setup.seed?.(ctx);
    },
  });
  const users = {} as Record<StaffRole, DashboardUser>;
  const names: Record<StaffRole, string> = {
    district_admin: 'Dana District',
    site_admin: 'Sam Campus',
    technician: 'Tess Tech',
    auditor: 'Avery Audit',
  };
  for (const role of ['district_admin', 'site_admin', 'technician', 'auditor'] as const) {
    const scoped = role === 'site_admin' || role === 'technician';
    const user = await aUser(kiosk.server.cubby, { role, name: names[role], siteIds: scoped ? [kiosk.siteId] : null });
    users[role] = { ...user, name: names[role] };
  }
  return { kiosk, users, otherSiteId, url: `${kiosk.server.url}/dashboard/` };
}

export type Dashboard = Awaited<ReturnType<typeof startDashboard>>;

/** The dashboard in a browser tab, with the checks every page must pass. */
export class DashboardPage {
  readonly errors: string[] = [];

  constructor(
    readonly page: Page,
    readonly base: string,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.stack ?? error.message));
  }

  static async open(browser: KioskBrowser, dashboard: Dashboard, size = laptop): Promise<DashboardPage> {
    const page = await browser.context.newPage();
    await page.setViewportSize(size);
    const tab = new DashboardPage(page, dashboard.url);
    await page.goto(dashboard.url);
    return tab;
  }

  async signIn(user: { email: string; password: string }): Promise<void> {
    await this.page.getByLabel(/^Email/).fill(user.email);
    await this.page.locator('input[autocomplete="current-password"]').fill(user.password);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await this.page.locator('[data-page]').first().waitFor({ timeout: 10_000 });
  }

  /** Goes to a dashboard path (`devices`, `stations/…`) as a reload would. */
  async goto(path: string): Promise<void> {
    await this.page.goto(`${this.base}${path}`);
    await this.page.locator('[data-page]').first().waitFor({ timeout: 10_000 });
  }

  async heading(): Promise<string> {
    return (await this.page.locator('main h1').first().innerText()).trim();
  }

  async navLinks(): Promise<string[]> {
    return (await this.page.getByRole('navigation').getByRole('link').allInnerTexts()).map((s) => s.trim());
  }

  async waitIdle(): Promise<void> {
    await this.page.waitForFunction(() => !document.querySelector('.mantine-Loader-root, [aria-busy="true"]'), undefined, {
      timeout: 10_000,
    });
    // A dialog fading in is half transparent: axe would measure blended colours (and a busy machine makes the fade long).
    await this.page.waitForFunction(
      () => document.getAnimations().every((a: { playState: string }) => a.playState !== 'running'),
      undefined,
      { timeout: 10_000 },
    );
    await this.page.evaluate(
      () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
    );
  }

  /**
   * Saves the page at laptop and tablet size as e2e/screenshots/dashboard-<name>-<size>.png,
   * and checks each: no WCAG 2.1 A/AA violation (axe-core), nothing wider than the window, no errors.
   */
  async capture(
    name: string,
    options: { fullPage?: boolean; sizes?: readonly (readonly [string, { width: number; height: number }])[] } = {},
  ): Promise<void> {
    mkdirSync(screenshotDir, { recursive: true });
    const sizes = options.sizes ?? [
      ['laptop', laptop],
      ['tablet', tablet],
    ];
    for (const [label, size] of sizes) {
      await this.page.setViewportSize(size);
      await this.waitIdle();
      await this.page.screenshot({ path: `${screenshotDir}dashboard-${name}-${label}.png`, fullPage: options.fullPage ?? false });
      expect(await this.axeViolations(), `accessibility of ${name} (${label})`).toEqual([]);
      expect(await this.pageOverflow(), `${name} (${label}) is wider than the window`).toBe(false);
    }
    await this.page.setViewportSize(laptop);
    expect(this.errors, 'errors in the page').toEqual([]);
  }

  async axeViolations(): Promise<string[]> {
    // Evaluated through the browser's debugging protocol (a <script> tag would be refused by the
    // page's CSP), once per page, and with no completion value for Playwright to serialise.
    if (!(await this.page.evaluate(() => Boolean(window.axe)))) await this.page.evaluate(`${axeSource}\n;undefined`);
    const violations = await this.page.evaluate(async () => {
      const result = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations as { id: string; help: string; nodes: { target: string[]; failureSummary?: string }[] }[];
    });
    return violations.map(
      (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`,
    );
  }

  async pageOverflow(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth + 1);
  }
}

/** Like `useKioskSuite`: one Chromium per file, a fresh server, station and users per test. */
export function useDashboardSuite(options: { timezoneId?: string } = {}) {
  let browser: KioskBrowser | undefined;
  let current: Dashboard | undefined;
  beforeAll(async () => {
    browser = await launchChromium(laptop, options);
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await current?.kiosk.close();
    current = undefined;
    expectNoCspViolations(browser);
  });
  return {
    get browser(): KioskBrowser {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    async start(setup?: KioskSetup): Promise<Dashboard> {
      current = await startDashboard(setup);
      return current;
    },
  };
}
