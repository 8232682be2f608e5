import { describe, expect, it } from 'vitest';
import { useKioskSuite } from './suite.js';
import { KioskPage } from './kiosk-page.js';

// Functions given to page.waitForFunction run in the page (see kiosk-page.ts).
declare const document: any;

const suite = useKioskSuite();

describe('kiosk: keyboard only', () => {
  it('a whole borrow works with Tab, typing and Enter, each screen starting at its heading', async () => {
    const kiosk = await suite.start();
    const noor = await kiosk.aStudent({ givenName: 'Noor', studentNumber: '20047', pin: '1357' });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'keyboard');
    const keys = page.page.keyboard;
    const focused = () => page.page.evaluate('document.activeElement?.textContent ?? ""') as Promise<string>;
    // Each screen moves focus to its heading just after it renders: a Tab pressed before that would be undone.
    const startsAtHeading = async (text: string) => {
      await page.heading(text);
      await page.page.waitForFunction((t) => document.activeElement?.textContent === t, text);
    };

    expect(await focused()).toBe('Scan your badge');
    await keys.press('Tab');
    expect(await focused()).toContain('No badge?');
    await keys.press('Enter');
    // The PIN screen puts focus in the student number box: typing starts at once, no Tab.
    await page.heading('Type your student number and PIN');
    await page.page.waitForFunction(() => document.activeElement?.closest('.pin-field')?.textContent === 'Student number');
    await keys.type('20047');
    await keys.press('Enter');
    await keys.type('1357');
    await keys.press('Enter');
    await startsAtHeading('Hi, Noor!');

    await keys.press('Tab');
    expect(await focused()).toContain('I need a loaner');
    await keys.press('Enter');
    await startsAtHeading('Why do you need a loaner?');
    await keys.press('Tab');
    await keys.press('Tab');
    expect(await focused()).toContain('My Chromebook is broken');
    await keys.press('Enter');
    const door = Number(/Locker (\d+)/.exec(await page.heading(/Locker \d+ is open/))![1]);
    kiosk.bank.take(door);
    kiosk.bank.closeDoor(door);
    await startsAtHeading('All done!');
    await keys.press('Tab');
    expect(await focused()).toContain('Finish');
    await keys.press('Enter');
    await page.heading('Scan your badge');
    expect(await kiosk.loans(noor.personId)).toMatchObject([{ status: 'active', reason: 'broken' }]);
  });
});
