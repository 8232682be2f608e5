import { describe, expect, it } from 'vitest';
import { expectNoCspViolations, launchChromium } from './chromium.js';
import { KioskPage, landscape, portrait } from './kiosk-page.js';
import { useKioskSuite } from './suite.js';

// Functions given to page.evaluate run in the page (see kiosk-page.ts).
declare const document: any;
declare function getComputedStyle(el: unknown): { clip: string };

const suite = useKioskSuite();
const orientations = [landscape, portrait] as const;

/** What of the idle warning a student can see: its sentences as drawn, and whether the button's label is whole. */
async function stillThereAsSeen(page: KioskPage) {
  return page.page.evaluate(() => {
    const bar = document.querySelector('.still-there');
    // Every piece of text outside the button that takes up room on screen.
    const drawn = [...bar.querySelectorAll('*')].filter((el: any) => {
      const box = el.getBoundingClientRect();
      return el.children.length === 0 && !el.closest('button') && el.textContent.trim() && box.width > 2 && box.height > 2;
    });
    const label = bar.querySelector('button .mantine-Button-label');
    const button = bar.querySelector('button').getBoundingClientRect();
    return {
      text: drawn.map((el: any) => el.textContent.trim()).join(' | '),
      labelCut: label.scrollWidth > label.clientWidth + 1,
      buttonInside: button.left >= 0 && button.right <= document.documentElement.clientWidth,
    };
  });
}

async function keypadBox(page: KioskPage) {
  return page.page.getByRole('group', { name: /Number keys|Teclado numérico/ }).boundingBox();
}

describe('kiosk screens: the idle warning, the PIN screen, campus time, the done screen and portrait', () => {
  it('the idle warning shows one sentence and its whole button, in English and Spanish, landscape and portrait', async () => {
    // 14 s: the warning shows for the last 7, time for both orientations' checks.
    const kiosk = await suite.start({ kiosk: { idleSignOutSeconds: 14 } });
    await kiosk.aStudent({ givenName: 'Kai', badge: '4100070' });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'still-there');
    await page.scan('4100070');
    await page.heading('Hi, Kai!');
    for (const [language, sentence, button] of [
      ['en', /^Still there\? Signing you out in \d seconds?\.$/, 'I need more time'],
      ['es', /^¿Sigues ahí\? Cerraremos tu sesión en \d segundos?\.$/, 'Necesito más tiempo'],
    ] as const) {
      if (language === 'es') await page.tap('Español');
      const bar = page.page.getByRole('alert').filter({ hasText: button });
      await bar.waitFor({ timeout: 12_000 });
      for (const size of orientations) {
        await page.page.setViewportSize(size);
        const seen = await stillThereAsSeen(page);
        expect(seen.text.split(' | '), `${language} ${size.width}`).toHaveLength(1);
        expect(seen.text).toMatch(sentence);
        expect(seen.labelCut, `the button's label is cut (${language}, ${size.width} px)`).toBe(false);
        expect(seen.buttonInside).toBe(true);
      }
      // The screen reader's copy is there, clipped to nothing by Mantine's VisuallyHidden rule.
      const hidden = page.page.locator('.still-there .m_515a97f8');
      expect(await hidden.evaluate((el: any) => getComputedStyle(el).clip)).toBe('rect(0px, 0px, 0px, 0px)');
      await page.capture(`bar-${language}`);
      await page.tap(button);
      await bar.waitFor({ state: 'detached' });
    }
  }, 90_000);

  it('the PIN screen types at once, counts the tries left, says until when it is locked, and its banner moves nothing', async () => {
    const kiosk = await suite.start();
    await kiosk.aStudent({ givenName: 'Cleo', studentNumber: '20031', pin: '2468' });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'pin-tries');
    const keys = page.page.keyboard;
    const alert = page.page.getByRole('alert');

    for (const [language, studentNumber] of [
      ['en', '20031'],
      ['es', '20099'],
    ] as const) {
      if (language === 'es') {
        await page.tap('Español');
        await page.tap('Atrás');
      }
      await page.tap(language === 'en' ? /No badge\?/ : /¿No tienes credencial\?/);
      await page.page.locator('.pin-field input').first().waitFor();
      // Focus is in the student number box: a physical keypad types there with no Tab.
      await page.page.waitForFunction(() => document.activeElement === document.querySelector('.pin-field input'));
      const before = [];
      for (const size of orientations) {
        await page.page.setViewportSize(size);
        before.push(await keypadBox(page));
      }
      await page.page.setViewportSize(landscape);
      await keys.type(studentNumber);
      await keys.press('Enter');
      for (let left = 4; left >= 1; left--) {
        await keys.type('1111');
        await keys.press('Enter');
        await alert.filter({ hasText: language === 'en' ? `${left} more tr` : `${left} intento` }).waitFor();
        await page.page.waitForFunction(() => document.activeElement?.type === 'password' && !document.activeElement.value);
        if (left === 4) await page.capture(`wrong-${language}`);
      }
      expect(await page.text()).toMatch(
        language === 'en' ? /You have 1 more try, then PIN sign-in/ : /Te queda 1 intento; después/,
      );
      await keys.type('1111');
      await keys.press('Enter');
      const locked =
        language === 'en'
          ? /PIN sign-in with this number is locked for 15 minutes, until \d{1,2}:\d\d [AP]M\./
          : /El PIN de este número está bloqueado durante 15 minutos, hasta las \d{1,2}:\d\d [ap]\. ?m\./;
      await alert.filter({ hasText: locked }).waitFor();
      await page.capture(`locked-${language}`);
      // The longest refusal has its room already: the keypad has not moved, in either orientation.
      for (const [i, size] of orientations.entries()) {
        await page.page.setViewportSize(size);
        expect(await keypadBox(page), `keypad at ${size.width} px`).toEqual(before[i]);
      }
      await page.page.setViewportSize(landscape);
      if (language === 'en') {
        // Even the right PIN is refused now, with how long is left.
        await keys.type('2468');
        await keys.press('Enter');
        await alert.filter({ hasText: 'Too many tries' }).filter({ hasText: locked }).waitFor();
      }
    }
    expect(kiosk.agent.signedIn).toBe(false);
  }, 120_000);

  it("a kiosk PC left in UTC shows a Chicago campus's 3:30 PM due time, and the done screen names the loaner", async () => {
    const kiosk = await suite.start({ kiosk: { doneSignOutSeconds: 120 } });
    const ana = await kiosk.aStudent({ givenName: 'Ana', badge: '4100007' });
    const utc = await launchChromium(landscape, { timezoneId: 'UTC' });
    try {
      const page = await KioskPage.open(utc, kiosk.url, 'campus-time');
      expect(await page.page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('UTC');
      await page.scan('4100007');
      await page.tap(/I need a loaner/);
      await page.tap(/I forgot my Chromebook/);
      const door = Number(/Locker (\d+)/.exec(await page.heading(/Locker \d+ is open/))![1]);
      kiosk.bank.take(door);
      kiosk.bank.closeDoor(door);
      await page.heading('All done!');
      expect(await page.text()).toMatch(/Your loaner is due back (today|\w+day) at 3:30 PM\./);
      const [loan] = await kiosk.loans(ana.personId);
      expect(await page.text()).toContain(`Loaner ${loan!.asset_tag}`);
      await page.capture('done');
      await page.tap('Español');
      await page.heading('¡Listo!');
      expect(await page.text()).toMatch(/Devuélvela (hoy|el \S+) a las 3:30 p\. ?m\./);
      expect(await page.text()).toContain(`Chromebook prestada ${loan!.asset_tag}`);
      await page.capture('done-es');
    } finally {
      await utc.close();
    }
    expectNoCspViolations(utc);
  }, 90_000);

  it('portrait uses its height: big choices from the top, and a bank map over half the screen, in English and Spanish', async () => {
    const kiosk = await suite.start();
    await kiosk.aStudent({ givenName: 'Mía', badge: '4100084' });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'portrait');
    await page.page.setViewportSize(portrait);
    await page.scan('4100084');
    for (const language of ['en', 'es'] as const) {
      if (language === 'es') await page.tap('Español');
      await page.heading(language === 'en' ? 'Hi, Mía!' : '¡Hola, Mía!');
      await page.page.setViewportSize(portrait);
      const choices = await page.page
        .locator('.choice')
        .evaluateAll((els: any[]) => els.map((el) => el.getBoundingClientRect().height));
      for (const height of choices) expect(height, 'a menu choice in portrait').toBeGreaterThanOrEqual(190);
      await page.capture(`menu-${language}`);
    }
    await page.tap(/Necesito una Chromebook prestada/);
    await page.tap(/Olvidé mi Chromebook/);
    const door = Number(/casillero (\d+)/.exec(await page.heading(/El casillero \d+ está abierto/))![1]);
    await page.page.setViewportSize(portrait);
    const map = await page.page.locator('.locker-map').boundingBox();
    expect(map!.height, 'the bank map in portrait').toBeGreaterThan(portrait.height * 0.45);
    await page.capture('door-es');
    kiosk.bank.take(door);
    kiosk.bank.closeDoor(door);
    await page.heading('¡Listo!');
  }, 90_000);
});
