import { chromebookChargeCurve, levelAfter } from '@cubby/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChargeState } from './driver.js';
import { SimBank, type SimBankConfig } from './sim.js';

const banks: SimBank[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function aBank(overrides: Partial<SimBankConfig> = {}): SimBank {
  const bank = new SimBank({
    compartments: [
      { number: 1, hasCharger: true, device: { battery: 97 } },
      { number: 2, hasCharger: true },
      { number: 3, hasCharger: false, device: { battery: 40 } },
    ],
    chargeTickMs: 10,
    ...overrides,
  });
  banks.push(bank);
  return bank;
}

function portEvents(bank: SimBank) {
  const seen: [number, ChargeState][] = [];
  bank.on('charge_state', (n, state) => seen.push([n, state]));
  return seen;
}

afterEach(async () => {
  await Promise.all(banks.splice(0).map((bank) => bank.close()));
});

describe('the sim bank charging its devices', () => {
  it('wired chargers charge what is inside from the start, a door without a charger does not', async () => {
    const bank = aBank({ wiredChargers: true, chargeRatePerMinute: 6000 });
    expect((await bank.readings()).map((r) => r.charging)).toEqual([true, true, false]);
    await sleep(80);
    expect(bank.device(1)).toEqual({ battery: 100 });
    expect(bank.device(3)).toEqual({ battery: 40 });
  });

  it("follows core's Chromebook curve: 20 % → 60 % in 45 minutes, then slower above 80 %", () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'performance'] });
    try {
      const bank = aBank({
        compartments: [{ number: 1, hasCharger: true, device: { battery: 20 } }],
        wiredChargers: true,
        chargeTickMs: 1000,
      });
      vi.advanceTimersByTime(45 * 60_000);
      expect(bank.device(1)).toEqual({ battery: Math.floor(levelAfter(chromebookChargeCurve, 20, 45)) });
      expect(bank.device(1)).toEqual({ battery: 60 });
      vi.advanceTimersByTime(45 * 60_000);
      // 20 % → 80 % took 67½ minutes; the last 22½ minutes are on the slow part.
      expect(bank.device(1)).toEqual({ battery: 87 });
    } finally {
      vi.useRealTimers();
    }
  });

  it('with current sensing the board reports "charging" and then "charged", never a percent', async () => {
    const bank = aBank({ wiredChargers: true, sensing: 'current', chargeRatePerMinute: 600 });
    const ports = portEvents(bank);
    const percents: number[] = [];
    bank.on('battery', (_n, p) => percents.push(p));
    expect((await bank.readings())[0]).toMatchObject({ number: 1, charging: true, chargeState: 'charging' });
    expect((await bank.readings())[0]!.battery).toBeUndefined();
    await sleep(600);
    expect(ports).toEqual([[1, 'charged']]);
    expect(percents).toEqual([]);
    expect((await bank.readings())[0]).toMatchObject({ chargeState: 'charged' });
  });

  it('with current sensing a device put on a live charger starts "charging"; an empty port says nothing', async () => {
    const bank = aBank({ wiredChargers: true, sensing: 'current' });
    const ports = portEvents(bank);
    expect((await bank.readings())[1]!.chargeState).toBeUndefined();
    bank.forceOpen(2);
    bank.put(2, 30);
    expect(ports).toEqual([[2, 'charging']]);
  });

  it('a lock-only board (no sensing) reports neither a percent nor a charge state', async () => {
    const bank = aBank({ wiredChargers: true, sensing: 'none', chargeRatePerMinute: 6000 });
    const ports = portEvents(bank);
    const percents: number[] = [];
    bank.on('battery', (_n, p) => percents.push(p));
    await sleep(80);
    const [first] = await bank.readings();
    expect(first).toEqual({ number: 1, door: 'closed', presence: true, charging: true });
    expect(ports).toEqual([]);
    expect(percents).toEqual([]);
    // The device still charged; only the board cannot tell.
    expect(bank.device(1)).toEqual({ battery: 100 });
  });
});
