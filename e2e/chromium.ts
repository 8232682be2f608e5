import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { expect } from 'vitest';

/** Debian's Chromium: CI apt-installs it; Playwright's own browser downloads are not used. */
export const chromiumPath = '/usr/bin/chromium';

const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface KioskBrowser {
  context: BrowserContext;
  /**
   * Every Content-Security-Policy violation any page of this browser reported:
   * Chromium's own "Refused to …" console lines and each `securitypolicyviolation`
   * event. The suites check it is empty after every test.
   */
  cspViolations: string[];
  close(): Promise<void>;
}

// Runs in every page before its own scripts (an init script is not subject to the page's CSP).
function reportCspViolations(): void {
  (globalThis as any).document.addEventListener('securitypolicyviolation', (event: any) =>
    console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} on ${event.documentURI}`),
  );
}

/**
 * A headless Chromium with a fresh profile, set to the campus's time zone (or
 * another, to show that a page follows the campus's zone, not the browser's)
 * and a kiosk screen size.
 */
export async function launchChromium(
  viewport = { width: 1280, height: 800 },
  options: { timezoneId?: string } = {},
): Promise<KioskBrowser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `Chromium is not installed at ${chromiumPath}. The browser tests drive Debian's Chromium: run \`apt-get install chromium\`.`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'cubby-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: flags,
    viewport,
    locale: 'en-US',
    timezoneId: options.timezoneId ?? 'America/Chicago',
    reducedMotion: 'reduce',
  });
  const cspViolations: string[] = [];
  await context.addInitScript(reportCspViolations);
  context.on('console', (message) => {
    const text = message.text();
    if (/^CSP violation:|Refused to|Content Security Policy/.test(text))
      cspViolations.push(`${text} (${message.page()?.url() ?? ''})`);
  });
  return {
    context,
    cspViolations,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Fails the test when a page broke the CSP since the last check; each suite calls it after every test. */
export function expectNoCspViolations(browser: KioskBrowser | undefined): void {
  const violations = browser?.cspViolations.splice(0) ?? [];
  expect(violations, 'Content-Security-Policy violations').toEqual([]);
}
