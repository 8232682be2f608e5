import { afterAll, afterEach, beforeAll } from 'vitest';
import { expectNoCspViolations, launchChromium, type KioskBrowser } from './chromium.js';
import { startKiosk, type Kiosk, type KioskSetup } from './kiosk-harness.js';

/**
 * The lifecycle every browser test file shares: one Chromium for the file,
 * a fresh server + station per test, both closed afterwards, and no CSP
 * violation in any page of the test.
 */
export function useKioskSuite() {
  let browser: KioskBrowser | undefined;
  let kiosk: Kiosk | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    await kiosk?.close();
    kiosk = undefined;
    expectNoCspViolations(browser);
  });
  return {
    get browser(): KioskBrowser {
      if (!browser) throw new Error('the browser starts in beforeAll');
      return browser;
    },
    /** A real server and station agent for this test, closed after it. */
    async start(setup?: KioskSetup): Promise<Kiosk> {
      kiosk = await startKiosk(setup);
      return kiosk;
    },
  };
}
