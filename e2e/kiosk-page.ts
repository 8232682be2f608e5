import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { KioskBrowser } from './chromium.js';

// The functions given to page.evaluate run in the page. These module-local declarations type
// them without adding the DOM library to the whole (Node) program.
declare const document: any;
declare const window: any;
declare function requestAnimationFrame(callback: () => void): number;

export const screenshotDir = fileURLToPath(new URL('./screenshots/', import.meta.url));
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export const landscape = { width: 1280, height: 800 };
export const portrait = { width: 1080, height: 1920 };

interface AxeViolation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** The kiosk page as a student sees it, with the checks every screen must pass. */
export class KioskPage {
  /** Uncaught errors in the page: any one fails the test that meets it. */
  readonly errors: string[] = [];

  constructor(
    readonly page: Page,
    readonly prefix: string,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.stack ?? error.message));
  }

  static async open(browser: KioskBrowser, url: string, prefix: string): Promise<KioskPage> {
    const page = await browser.context.newPage();
    const kiosk = new KioskPage(page, prefix);
    await page.setViewportSize(landscape);
    await page.goto(url);
    // Ready once the station's status (and with it the kiosk's language) has arrived.
    await page.locator('.kiosk[data-ready]').waitFor({ timeout: 10_000 });
    return kiosk;
  }

  /** Waits for the screen's main heading to contain `text` (or match it), and returns the heading. */
  async heading(text: string | RegExp, timeout = 5000): Promise<string> {
    const pattern =
      typeof text === 'string'
        ? { source: text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), flags: '' }
        : { source: text.source, flags: text.flags };
    try {
      const found = await this.page.waitForFunction(
        ({ source, flags }) => {
          const heading = document.querySelector('h1')?.textContent ?? '';
          return new RegExp(source, flags).test(heading) ? heading : null;
        },
        pattern,
        { timeout },
      );
      expect(this.errors, 'errors in the page').toEqual([]);
      return (await found.jsonValue()) as string;
    } catch {
      const shown = await this.page
        .locator('main')
        .innerText({ timeout: 500 })
        .catch(() => '(nothing)');
      mkdirSync(screenshotDir, { recursive: true });
      await this.page.screenshot({ path: `${screenshotDir}failed-${this.prefix}.png` }).catch(() => undefined);
      const errors = this.errors.length ? `\npage errors:\n${this.errors.join('\n')}` : '';
      throw new Error(`expected the heading ${String(text)}, but the screen shows: ${shown.replace(/\s+/g, ' ')}${errors}`);
    }
  }

  /** A badge reader or barcode scanner: the characters, fast, then Enter, into whatever has focus. */
  async scan(value: string): Promise<void> {
    await this.page.keyboard.type(value);
    await this.page.keyboard.press('Enter');
  }

  async tap(name: string | RegExp): Promise<void> {
    await this.page.getByRole('button', { name }).click();
  }

  async text(): Promise<string> {
    return (await this.page.locator('main').innerText()).replace(/\s+/g, ' ');
  }

  /**
   * Saves the screen in both orientations and checks it in each: no WCAG 2.1
   * A/AA violation (axe-core), every touch target at least 44 × 44 px, and
   * nothing cut off or needing a sideways scroll.
   */
  async capture(screen: string): Promise<void> {
    mkdirSync(screenshotDir, { recursive: true });
    for (const [orientation, size] of [
      ['landscape', landscape],
      ['portrait', portrait],
    ] as const) {
      await this.page.setViewportSize(size);
      await this.page.evaluate(
        () => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))),
      );
      await this.page.screenshot({ path: `${screenshotDir}${this.prefix}-${screen}-${orientation}.png` });
      const where = `${screen} (${orientation})`;
      expect(await this.axeViolations(), `accessibility of ${where}`).toEqual([]);
      expect(await this.smallTargets(), `touch targets under 44 px on ${where}`).toEqual([]);
      expect(await this.overflow(), `content that does not fit on ${where}`).toEqual([]);
    }
    await this.page.setViewportSize(landscape);
  }

  async axeViolations(): Promise<string[]> {
    // Evaluated through the browser's debugging protocol (a <script> tag would be refused by the
    // page's CSP), once per page, and with no completion value for Playwright to serialise.
    if (!(await this.page.evaluate(() => Boolean(window.axe)))) await this.page.evaluate(`${axeSource}\n;undefined`);
    const violations = await this.page.evaluate(async () => {
      const result: { violations: AxeViolation[] } = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations;
    });
    return violations.map(
      (v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary ?? ''})`).join('; ')}`,
    );
  }

  async smallTargets(): Promise<string[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll('button, a[href], input, [role="button"], [tabindex="0"]')]
        .filter((el: any) => el.offsetParent !== null)
        .map((el: any) => ({ el, box: el.getBoundingClientRect() as { width: number; height: number } }))
        .filter(({ box }) => box.width < 44 || box.height < 44)
        .map(
          ({ el, box }) =>
            `${el.tagName.toLowerCase()} "${String(el.textContent ?? '')
              .trim()
              .slice(0, 30)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
        ),
    );
  }

  async overflow(): Promise<string[]> {
    return this.page.evaluate(() => {
      const out: string[] = [];
      const root = document.documentElement;
      if (root.scrollWidth > root.clientWidth + 1) out.push(`page is ${root.scrollWidth} px wide`);
      const main = document.querySelector('main');
      if (main && main.scrollHeight > main.clientHeight + 1)
        out.push(`screen needs ${main.scrollHeight - main.clientHeight} px of scrolling`);
      return out;
    });
  }
}
