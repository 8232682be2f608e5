import { aLoaner, aStation } from '@cubby/server/testing';
import { describe, expect, it } from 'vitest';
import { useKioskSuite } from './suite.js';
import { KioskPage } from './kiosk-page.js';

const suite = useKioskSuite();

describe('kiosk: refusals', () => {
  it('an unknown badge is refused kindly on the idle screen and changes nothing', async () => {
    const kiosk = await suite.start();
    const page = await KioskPage.open(suite.browser, kiosk.url, 'refusal');
    const before = await kiosk.snapshot();
    await page.scan('99999999');
    await page.page.getByRole('alert').filter({ hasText: 'We don’t know this badge' }).waitFor();
    expect(await page.text()).toContain('Ask at the library to get your badge set up.');
    await page.capture('unknown-badge');
    expect(await kiosk.snapshot()).toEqual(before);
  });

  it('a student who already has a loaner is told on the menu to return it first, and no second loan starts', async () => {
    const kiosk = await suite.start();
    const gus = await kiosk.aStudent({ givenName: 'Gus', badge: '4100042' });
    await kiosk.borrowed('4100042');
    const page = await KioskPage.open(suite.browser, kiosk.url, 'refusal');
    await page.scan('4100042');
    await page.heading('Hi, Gus!');
    // Refused on the menu, not after a reason is picked (issue 12, item 10).
    const borrow = page.page.getByRole('button', { name: /I need a loaner/ });
    expect(await borrow.isDisabled()).toBe(true);
    expect(await borrow.innerText()).toContain('You already have a loaner. Return it first.');
    expect(await page.text()).toContain('Return my loaner');
    await page.capture('loan-limit');
    expect(await kiosk.loans(gus.personId)).toHaveLength(1);
  });

  it('with no charged loaner here, the menu says which nearby station has one', async () => {
    const kiosk = await suite.start({
      loaners: [30],
      seed: async ({ server, districtId, siteId }) => {
        const cafeteria = await aStation(server.cubby, siteId, { name: 'Cafeteria', compartments: 4 });
        for (const c of cafeteria.compartments.slice(0, 2)) await aLoaner(server.cubby, districtId, c.id, { charge: 95 });
      },
    });
    const hana = await kiosk.aStudent({ givenName: 'Hana', badge: '4100049' });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'refusal');
    const before = await kiosk.snapshot();
    await page.scan('4100049');
    await page.heading('Hi, Hana!');
    const borrow = page.page.getByRole('button', { name: /I need a loaner/ });
    expect(await borrow.isDisabled()).toBe(true);
    expect(await borrow.innerText()).toContain('No charged loaners here right now. Cafeteria has 2 loaners ready.');
    await page.capture('no-loaner-nearby');
    expect(await kiosk.loans(hana.personId)).toEqual([]);
    expect((await kiosk.snapshot()).loans).toEqual(before.loans);
  });
});
