import { describe, expect, it } from 'vitest';
import { useKioskSuite } from './suite.js';
import { KioskPage } from './kiosk-page.js';

const suite = useKioskSuite();

const lockerOf = (heading: string) => Number(/Locker (\d+)/.exec(heading)![1]);

describe('kiosk: faults', () => {
  it('a jammed lock falls over to another loaner, and the kiosk says so', async () => {
    const kiosk = await suite.start({ dialect: 'postgres' });
    const ivy = await kiosk.aStudent({ givenName: 'Ivy', badge: '4100056' });
    kiosk.bank.jam(1);
    const page = await KioskPage.open(suite.browser, kiosk.url, 'fault');
    await page.scan('4100056');
    await page.tap(/I need a loaner/);
    await page.tap(/My Chromebook is broken/);
    await page.heading('Opening locker 1');
    await page.page
      .getByRole('alert')
      .filter({ hasText: 'Locker 1 is stuck, so locker 2 opened instead. Sorry about that!' })
      .waitFor();
    await page.heading('Locker 2 is open');
    await page.capture('jam-failover');
    kiosk.bank.take(2);
    kiosk.bank.closeDoor(2);
    await page.heading('All done!');

    expect(await kiosk.compartment(1)).toMatchObject({ status: 'out_of_service' });
    expect(await kiosk.loans(ivy.personId)).toMatchObject([{ status: 'active', asset_tag: kiosk.loaners[1]!.assetTag }]);
    expect(await kiosk.auditActions()).toContain('loan.failed_over');
  });

  it('a loaner left in the locker is not lent, and an empty return is not recorded', async () => {
    const kiosk = await suite.start();
    const jo = await kiosk.aStudent({ givenName: 'Jo', badge: '4100063' });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'fault');
    await page.scan('4100063');
    await page.tap(/I need a loaner/);
    await page.tap(/I forgot my Chromebook/);
    const door = lockerOf(await page.heading(/Locker \d+ is open/));
    kiosk.bank.closeDoor(door);
    await page.heading('The loaner is still in the locker');
    await page.capture('loaner-not-taken');
    expect(await kiosk.loans(jo.personId)).toMatchObject([{ status: 'cancelled', device_status: 'available' }]);

    await page.tap('Sign out');
    await kiosk.borrowed('4100063');
    await page.scan('4100063');
    await page.tap(/Return my loaner/);
    const returnDoor = lockerOf(await page.heading(/Locker \d+ is open/));
    kiosk.bank.closeDoor(returnDoor);
    await page.heading('We didn’t see a device in the locker');
    await page.capture('nothing-returned');
    expect((await kiosk.loans(jo.personId)).map((l) => l.status)).toEqual(['cancelled', 'active']);
  });

  it('signs out by itself after a quiet while, with a warning first', async () => {
    // 8 s: the warning shows with 4 s left, room for the screenshot and its axe check (about 1.5 s) before the tap.
    const kiosk = await suite.start({ kiosk: { idleSignOutSeconds: 8 } });
    await kiosk.aStudent({ givenName: 'Kai', badge: '4100070' });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'timeout');
    await page.scan('4100070');
    await page.heading('Hi, Kai!');
    await page.page
      .getByRole('alert')
      .filter({ hasText: /Still there\? Signing you out in \d seconds?\./ })
      .waitFor({ timeout: 8000 });
    await page.capture('still-there');
    await page.tap('I need more time');
    await page.heading('Hi, Kai!');
    await page.heading('Scan your badge', 12000);
    expect(kiosk.agent.signedIn).toBe(false);
  });

  it('says when the station cannot reach the server', async () => {
    const kiosk = await suite.start();
    await kiosk.aStudent({ givenName: 'Lu', badge: '4100077' });
    const page = await KioskPage.open(suite.browser, kiosk.url, 'offline');
    await kiosk.server.app.close();
    await page.page.getByText('This station can’t reach the school network right now').waitFor();
    await page.scan('4100077');
    await page.page.getByRole('alert').filter({ hasText: 'This station can’t reach the school network' }).waitFor();
    await page.capture('offline');
  });
});
