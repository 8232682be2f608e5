import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../packages/server/src/testing/harness.js';
import { expectNoCspViolations, launchChromium, type KioskBrowser } from './chromium.js';

// The functions given to page.evaluate run in the page (see kiosk-page.ts).
declare const document: any;

/**
 * The Content-Security-Policy in a real browser. The dashboard and kiosk pass it
 * in every other browser test (the suites check after each one); here the API
 * docs, and the check itself.
 */
describe('Content-Security-Policy in the browser', () => {
  let browser: KioskBrowser;
  let server: TestServer;
  beforeAll(async () => {
    browser = await launchChromium();
    server = await startTestServer('sqlite');
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(() => expectNoCspViolations(browser));

  it('the API docs (/docs, Swagger UI) load and show every operation without a violation', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${server.url}/docs`);
    await page.locator('.swagger-ui .info .title').filter({ hasText: 'Cubby API' }).waitFor({ timeout: 15_000 });
    const operation = page.locator('.opblock-summary').first();
    await operation.click();
    await page.locator('.opblock-body').first().waitFor({ timeout: 5000 });
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('reports a page that breaks the policy, so the other tests cannot pass by not looking', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/docs`);
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.injected = true';
      document.body.append(script);
    });
    await expect.poll(() => browser.cspViolations.length).toBeGreaterThan(0);
    expect(browser.cspViolations.join('\n')).toMatch(/script-src/);
    expect(await page.evaluate('window.injected')).toBeUndefined();
    browser.cspViolations.splice(0);
    await page.close();
  });
});
