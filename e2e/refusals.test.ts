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

  it('a student who already has a loaner is told to return it first, and no second loan starts', async () => {
    const kiosk = await suite.start();
    const gus = await kiosk.aStudent({ givenName: 'Gus', badge: '4100042' });
    await kiosk.borrowed('4100042');
    const page = await KioskPage.open(suite.browser, kiosk.url, 'refusal');
    await page.scan('4100042');
    await page.heading('Hi, Gus!');
    await page.tap(/I need a loaner/);
    await page.tap(/My battery is dead/);
    await page.heading('You already have a loaner');
    expect(await page.text()).toContain('Return it first, then you can borrow another one.');
    await page.capture('loan-limit');
    expect(await kiosk.loans(gus.personId)).toHaveLength(1);

    await page.tap('Do something else');
    await page.heading('Hi, Gus!');
    expect(await page.text()).toContain('Return my loaner');
  });

  it('with no charged loaner here, the kiosk says which nearby station has one', async () => {
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
    await page.tap(/I need a loaner/);
    await page.tap(/I forgot my Chromebook/);
    await page.heading('There are no charged loaners here right now');
    expect(await page.text()).toContain('Cafeteria has 2 loaners ready.');
    await page.capture('no-loaner-nearby');
    expect(await kiosk.loans(hana.personId)).toEqual([]);
    expect((await kiosk.snapshot()).loans).toEqual(before.loans);
  });
});
