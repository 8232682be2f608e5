import { afterEach, describe, expect, it } from 'vitest';
import { LockFault } from './driver.js';
import { SimBank, type SimBankConfig } from './sim.js';

const banks: SimBank[] = [];

function aBank(overrides: Partial<SimBankConfig> = {}): SimBank {
  const bank = new SimBank({
    compartments: [
      { number: 1, hasCharger: true, device: { battery: 80 } },
      { number: 2, hasCharger: true },
      { number: 3, hasCharger: false },
    ],
    openTimeoutMs: 200,
    ...overrides,
  });
  banks.push(bank);
  return bank;
}

function doorEvents(bank: SimBank): [number, string][] {
  const seen: [number, string][] = [];
  bank.on('door', (n, state) => seen.push([n, state]));
  return seen;
}

afterEach(async () => {
  await Promise.all(banks.splice(0).map((bank) => bank.close()));
});

describe('SimBank', () => {
  it('unlocking a compartment springs its door open and reports it', async () => {
    const bank = aBank();
    const doors = doorEvents(bank);
    await bank.unlock(1, 300);
    expect(doors).toEqual([[1, 'open']]);
    expect((await bank.readings())[0]).toEqual({ number: 1, door: 'open', presence: true, charging: false, battery: 80 });
    expect(bank.pulseCount(1)).toBe(1);
  });

  it('a jammed door never opens and unlock fails with a LockFault after the open timeout', async () => {
    const bank = aBank({ openTimeoutMs: 120 });
    const doors = doorEvents(bank);
    bank.jam(2);
    const started = performance.now();
    const error = await bank.unlock(2, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockFault);
    expect(error).toMatchObject({ compartment: 2, detail: 'door did not open within 120 ms' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(doors).toEqual([]);
    bank.unjam(2);
    await bank.unlock(2, 300);
    expect(bank.door(2)).toBe('open');
  });

  it('a slow board opens the door only after its unlock delay', async () => {
    const bank = aBank({ unlockDelayMs: 80 });
    const started = performance.now();
    const unlocked = bank.unlock(3, 300);
    expect(bank.door(3)).toBe('closed');
    await unlocked;
    expect(performance.now() - started).toBeGreaterThanOrEqual(70);
    expect(bank.door(3)).toBe('open');
  });

  it('a board slower than the open timeout is a lock fault', async () => {
    const bank = aBank({ unlockDelayMs: 300, openTimeoutMs: 50 });
    await expect(bank.unlock(3, 300)).rejects.toBeInstanceOf(LockFault);
  });

  it('an unknown compartment is a lock fault, not a crash', async () => {
    await expect(aBank().unlock(42, 300)).rejects.toMatchObject({ compartment: 42 });
  });

  it('a person takes and puts devices only through an open door, and closing reports the door', async () => {
    const bank = aBank();
    const presence: [number, boolean][] = [];
    bank.on('presence', (n, present) => presence.push([n, present]));
    expect(() => bank.take(1)).toThrow(/door is closed/);
    await bank.unlock(1, 300);
    expect(bank.take(1)).toEqual({ battery: 80 });
    expect(bank.take(1)).toBeUndefined();
    bank.put(1, 20);
    expect(() => bank.put(1)).toThrow(/already holds/);
    const doors = doorEvents(bank);
    bank.closeDoor(1);
    expect(presence).toEqual([
      [1, false],
      [1, true],
    ]);
    expect(doors).toEqual([[1, 'closed']]);
    expect(bank.device(1)).toEqual({ battery: 20 });
    expect(() => bank.put(1)).toThrow(/door is closed/);
  });

  it('forcing a door open works even on a jammed lock', () => {
    const bank = aBank();
    bank.jam(2);
    bank.forceOpen(2);
    expect(bank.door(2)).toBe('open');
  });

  it('a switched-on charger raises the battery of the device inside and reports each whole percent', async () => {
    // 600 %/min is 10 % a second: a few ticks of 20 ms gain whole percents.
    const bank = aBank({ chargeRatePerMinute: 600, chargeTickMs: 20 });
    const battery: number[] = [];
    bank.on('battery', (n, percent) => {
      if (n === 1) battery.push(percent);
    });
    await bank.setCharging(1, true);
    await new Promise((resolve) => setTimeout(resolve, 350));
    await bank.setCharging(1, false);
    const reached = bank.device(1)!.battery;
    expect(reached).toBeGreaterThanOrEqual(82);
    expect(battery.at(-1)).toBe(reached);
    expect(battery).toEqual([...battery].sort((a, b) => a - b));
    expect(new Set(battery).size).toBe(battery.length);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(bank.device(1)!.battery).toBe(reached);
  });

  it('battery stops at 100 percent', async () => {
    const bank = aBank({
      compartments: [{ number: 1, hasCharger: true, device: { battery: 99.5 } }],
      chargeRatePerMinute: 6000,
      chargeTickMs: 10,
    });
    await bank.setCharging(1, true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(bank.device(1)).toEqual({ battery: 100 });
  });

  it('a compartment without a charger stays uncharged when told to charge', async () => {
    const bank = aBank();
    await bank.setCharging(3, true);
    await bank.setCharging(2, true);
    const readings = await bank.readings();
    expect(readings.map((r) => r.charging)).toEqual([false, true, false]);
  });

  it('closing the bank fails an unlock still waiting for its door', async () => {
    const bank = aBank({ unlockDelayMs: 1_000, openTimeoutMs: 5_000 });
    const unlocked = bank.unlock(1, 300);
    await bank.close();
    await expect(unlocked).rejects.toMatchObject({ detail: 'the lock board closed before the door opened' });
  });

  it('a compartment configured twice is refused', () => {
    expect(
      () =>
        new SimBank({
          compartments: [
            { number: 1, hasCharger: false },
            { number: 1, hasCharger: true },
          ],
        }),
    ).toThrow(RangeError);
  });
});
