import { afterEach, describe, expect, it, vi } from 'vitest';
import { openKerongBench, type KerongBench, type KerongBenchOptions } from '../../testing/kerong-bench.js';
import { LockFault } from '../driver.js';
import { boardTypes } from './frames.js';

// Real driver, real serialport, real pseudo-terminals (socat); the boards are simulated.
const benches: KerongBench[] = [];

async function aBench(options: KerongBenchOptions = {}): Promise<KerongBench> {
  const bench = await openKerongBench(options);
  benches.push(bench);
  return bench;
}

afterEach(async () => {
  for (const bench of benches.splice(0)) await bench.close();
});

const soon = { timeout: 5_000, interval: 10 };

describe('KerongDriver over a serial line', () => {
  it('unlock opens the right door on the right board of two on one bus', async () => {
    const { driver, board, doors } = await aBench();
    await driver.unlock(6, 300);
    expect(board.door(3, 2)).toBe('open');
    expect(board.pulses(3, 2)).toBe(1);
    expect(board.pulses(0, 2)).toBe(0);
    expect(board.door(0, 2)).toBe('closed');
    expect(doors).toEqual([[6, 'open']]);
    const readings = await driver.readings();
    expect(readings.filter((r) => r.door === 'open').map((r) => r.number)).toEqual([6]);
    expect(board.requests).toContainEqual({ address: 3, lock: 1, command: boardTypes.cu16.commands.unlock });
  });

  it('the first readings show what the boards report when the driver starts', async () => {
    const { driver } = await aBench({
      prepare: (board) => {
        board.forceOpen(0, 3);
        board.setPresence(3, 4, true);
      },
    });
    expect(await driver.readings()).toEqual([
      { number: 1, door: 'closed', presence: false, charging: false },
      { number: 2, door: 'closed', presence: false, charging: false },
      { number: 3, door: 'open', presence: false, charging: false },
      { number: 4, door: 'closed', presence: false, charging: false },
      { number: 5, door: 'closed', presence: false, charging: false },
      { number: 6, door: 'closed', presence: false, charging: false },
      { number: 7, door: 'closed', presence: false, charging: false },
      { number: 8, door: 'closed', presence: true, charging: false },
    ]);
  });

  it('polling reports doors opened and closed and devices put in and taken out', async () => {
    const { driver, board, doors, presence } = await aBench();
    await driver.unlock(1, 300);
    board.setPresence(0, 1, true);
    await vi.waitFor(() => expect(presence).toEqual([[1, true]]), soon);
    board.closeDoor(0, 1);
    await vi.waitFor(
      () =>
        expect(doors).toEqual([
          [1, 'open'],
          [1, 'closed'],
        ]),
      soon,
    );
    board.forceOpen(3, 4);
    board.setPresence(3, 4, true);
    await vi.waitFor(() => expect(doors.at(-1)).toEqual([8, 'open']), soon);
    expect(presence).toEqual([
      [1, true],
      [8, true],
    ]);
    expect((await driver.readings())[7]).toEqual({ number: 8, door: 'open', presence: true, charging: false });
  });

  it('a device taken out and the door shut in the same poll reports presence before the door', async () => {
    const { driver, board } = await aBench();
    await driver.unlock(2, 300);
    board.setPresence(0, 2, true);
    const seen: string[] = [];
    await vi.waitFor(() => expect(driver.readings().then((r) => r[1]!.presence)).resolves.toBe(true), soon);
    driver.on('presence', (n, present) => seen.push(`presence ${n} ${present}`));
    driver.on('door', (n, state) => seen.push(`door ${n} ${state}`));
    board.setPresence(0, 2, false);
    board.closeDoor(0, 2);
    await vi.waitFor(() => expect(seen).toEqual(['presence 2 false', 'door 2 closed']), soon);
  });

  it('a door that springs open only after the unlock answer is awaited through polling', async () => {
    const { driver, board } = await aBench();
    board.springDoorsAfter(100);
    const started = performance.now();
    await driver.unlock(7, 300);
    expect(performance.now() - started).toBeGreaterThanOrEqual(90);
    expect(board.door(3, 3)).toBe('open');
  });

  it('unlocking a door that is already open pulses it and resolves at once', async () => {
    const { driver, board } = await aBench({ prepare: (b) => b.forceOpen(0, 4) });
    await driver.unlock(4, 300);
    expect(board.pulses(0, 4)).toBe(1);
  });

  it('a CU48 bus with the 6-byte frames opens doors the same way', async () => {
    const { driver, board, doors } = await aBench({
      boardType: 'cu48',
      config: {
        compartments: [
          { number: 1, board: 0, lock: 1 },
          { number: 40, board: 2, lock: 40 },
        ],
      },
    });
    await driver.unlock(40, 300);
    expect(board.door(2, 40)).toBe('open');
    expect(doors).toEqual([[40, 'open']]);
    expect(board.requests).toContainEqual({ address: 2, lock: 39, command: 0x61 });
  });

  it('an unknown compartment is a lock fault and sends nothing', async () => {
    const { driver, board } = await aBench();
    const before = board.requests.length;
    await expect(driver.unlock(42, 300)).rejects.toMatchObject({ name: 'LockFault', compartment: 42 });
    expect(board.requests.slice(before).some((r) => r.command === boardTypes.cu16.commands.unlock)).toBe(false);
  });

  it('switching a charger is accepted and changes nothing: CU boards have no charger relay', async () => {
    const { driver } = await aBench();
    await driver.setCharging(3, true);
    expect((await driver.readings())[2]).toMatchObject({ number: 3, charging: false });
    await expect(driver.setCharging(99, true)).rejects.toThrow(RangeError);
  });

  it('closing the driver stops polling and fails an unlock still waiting for its door', async () => {
    const { driver, board } = await aBench();
    board.jam(0, 1);
    const outcome = driver.unlock(1, 300).catch((e: unknown) => e);
    await vi.waitFor(() => expect(board.pulses(0, 1)).toBe(1), soon);
    await driver.close();
    expect(await outcome).toBeInstanceOf(LockFault);
    const heard = board.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(board.requests.length).toBe(heard);
  });
});
