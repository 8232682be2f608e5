import type { PolicySnapshotMessage } from '@cubby/protocol';
import { describe, expect, it } from 'vitest';
import { until } from './kiosk-harness.js';
import { useKioskSuite } from './suite.js';
import { KioskPage } from './kiosk-page.js';

const suite = useKioskSuite();

const lockerOf = (heading: string) => Number(/Locker (\d+)/.exec(heading)![1]);

describe('kiosk: offline, with the server stopped', () => {
  it(
    'a student borrows and another returns by badge, and the server records both once after it is back',
    { timeout: 120_000 },
    async () => {
      const kiosk = await suite.start({ offline: true });
      const k = kiosk;
      const ada = await k.aStudent({ givenName: 'Ada', badge: '4100091' });
      const bo = await k.aStudent({ givenName: 'Bo', badge: '4100098' });
      // Bo borrows online first, so he has a loaner to return while the server is down.
      await k.borrowed('4100098');
      const [boLoan] = await k.loans(bo.personId);

      // The station holds a snapshot that counts Bo's loan and lists the loaner still inside.
      let snapshot: PolicySnapshotMessage | undefined;
      const onSnapshot = (s: PolicySnapshotMessage) => (snapshot = s);
      k.link.on('policy_snapshot', onSnapshot);
      await until(
        () =>
          snapshot?.credentials.some((c) => c.personId === bo.personId && c.openLoans === 1) === true &&
          snapshot.credentials.some((c) => c.personId === ada.personId) &&
          snapshot.loaners.some((l) => l.deviceId === k.loaners[1]!.deviceId),
        15_000,
      );
      k.link.off('policy_snapshot', onSnapshot);
      // The agent stores the snapshot on the same event; give it a moment to be read back as ready.
      await until(async () => (await k.agent.status()).offlineReady, 5000);

      const page = await KioskPage.open(suite.browser, k.url, 'offline-mode');
      await k.restartable!.stop();
      await until(() => !k.link.online, 10_000);
      await page.page.getByText('This station can’t reach the school network right now').waitFor({ timeout: 10_000 });
      await page.capture('idle');

      // Ada borrows: her badge is in the snapshot.
      await page.scan('4100091');
      await page.heading('Hi!');
      await page.capture('menu');
      await page.tap(/I need a loaner/);
      await page.heading('Why do you need a loaner?');
      await page.tap(/I forgot my Chromebook/);
      const borrowDoor = lockerOf(await page.heading(/Locker \d+ is open/, 10_000));
      expect(borrowDoor).toBe(2);
      await page.capture('door-borrow');
      k.bank.take(borrowDoor);
      k.bank.closeDoor(borrowDoor);
      await page.heading('All done!', 10_000);
      expect(await page.text()).toContain('Your loaner is ready to go.');
      await page.capture('done-borrow');
      await page.tap('Finish');
      await page.heading('Scan your badge');

      // Bo returns his loaner into an empty door.
      await page.scan('4100098');
      await page.heading('Hi!');
      // The station decides the menu alone with core's loan limit: Bo's loan (in the snapshot) counts.
      const borrow = page.page.getByRole('button', { name: /I need a loaner/ });
      expect(await borrow.isDisabled()).toBe(true);
      expect(await borrow.innerText()).toContain('You already have a loaner. Return it first.');
      expect(await page.text()).not.toContain('Leave my broken Chromebook');
      await page.capture('menu-return');
      await page.tap(/Return my loaner/);
      const returnDoor = lockerOf(await page.heading(/Locker \d+ is open/, 10_000));
      await page.capture('door-return');
      k.bank.put(returnDoor, 55);
      k.bank.closeDoor(returnDoor);
      await page.heading('All done!', 10_000);
      await page.capture('done-return');
      await page.tap('Finish');
      await page.heading('Scan your badge');

      // Nothing reached the database while the server was down.
      expect((await k.loans(ada.personId)).length).toBe(0);

      // The server comes back on the same database and port; the station replays its journal.
      await k.restartable!.restart();
      await until(() => k.link.online, 15_000);
      await page.page
        .getByText('This station can’t reach the school network right now')
        .waitFor({ state: 'detached', timeout: 10_000 });
      const applied = () => k.server.cubby.db.selectFrom('journal_entries_applied').selectAll().execute();
      await until(async () => (await applied()).length === 2, 15_000);

      const adaLoans = await k.loans(ada.personId);
      expect(adaLoans.map((l) => [l.asset_tag, l.status, l.device_status])).toEqual([
        [k.loaners[1]!.assetTag, 'active', 'on_loan'],
      ]);
      const boLoans = await k.loans(bo.personId);
      expect(boLoans.map((l) => [l.id, l.status, l.device_status])).toEqual([[boLoan!.id, 'returned', 'available']]);
      expect(await k.compartment(returnDoor)).toMatchObject({ device_id: k.loaners[0]!.deviceId, presence: 1 });
      expect(await k.compartment(borrowDoor)).toMatchObject({ device_id: null, presence: 0 });

      // A second connection replays nothing twice.
      await k.restartable!.stop();
      await until(() => !k.link.online, 10_000);
      await k.restartable!.restart();
      await until(() => k.link.online, 15_000);
      expect((await applied()).length).toBe(2);
      expect((await k.loans()).length).toBe(2);
    },
  );
});
