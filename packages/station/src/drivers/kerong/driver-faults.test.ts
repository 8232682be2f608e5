import { afterEach, describe, expect, it, vi } from 'vitest';
import { openKerongBench, type KerongBench, type KerongBenchOptions } from '../../testing/kerong-bench.js';
import { LockFault } from '../driver.js';
import { BoardNotAnswering } from './bus.js';
import { boardTypes } from './frames.js';

// Fault injection on the simulated boards, seen through the real driver on a real pty.
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
const unlocksTo = (bench: KerongBench, address: number) =>
  bench.board.requests.filter((r) => r.address === address && r.command === boardTypes.cu16.commands.unlock).length;

describe('KerongDriver when the bus misbehaves', () => {
  it('a dead board fails the unlock after the retries with an error naming its address', async () => {
    const bench = await aBench({ config: { requestTimeoutMs: 200 } });
    const { driver, board } = bench;
    board.kill(3);
    const started = performance.now();
    const error = await driver.unlock(5, 300).catch((e: unknown) => e);
    expect(performance.now() - started).toBeGreaterThanOrEqual(3 * 190);
    expect(error).toBeInstanceOf(LockFault);
    expect(error).toMatchObject({ compartment: 5, detail: 'lock board 3 did not answer (3 attempts, 200 ms each)' });
    expect((error as LockFault).cause).toBeInstanceOf(BoardNotAnswering);
    expect((error as LockFault).cause).toMatchObject({ address: 3, attempts: 3 });
    expect(unlocksTo(bench, 3)).toBe(3);
    // The other board on the bus still works.
    await driver.unlock(1, 300);
    expect(board.door(0, 1)).toBe('open');
  });

  it('a board that stops answering is logged once, and again when it comes back', async () => {
    const { board, log } = await aBench({ config: { requestTimeoutMs: 150 } });
    board.kill(0);
    await vi.waitFor(() => expect(log.text()).toContain('lock board does not answer'), soon);
    board.revive(0);
    await vi.waitFor(() => expect(log.text()).toContain('lock board answers again'), soon);
    expect(log.lines.filter((l) => l.msg === 'lock board does not answer')).toHaveLength(1);
    expect(log.lines.find((l) => l.msg === 'lock board does not answer')?.obj).toMatchObject({ board: 0 });
  });

  it('a garbled answer is discarded, logged, and the request retried', async () => {
    const bench = await aBench();
    bench.board.garbleReplies(1);
    await bench.driver.unlock(2, 300);
    expect(bench.board.door(0, 2)).toBe('open');
    expect(unlocksTo(bench, 0)).toBe(2);
    const warning = bench.log.lines.find((l) => l.msg === 'discarded bytes that are not a valid frame');
    expect(warning?.level).toBe('warn');
    expect(warning?.obj).toMatchObject({ reason: expect.stringMatching(/checksum|ETX/) });
  });

  it('answers split across many reads are reassembled', async () => {
    const { driver, board, doors, log } = await aBench();
    board.splitReplies(true);
    await driver.unlock(8, 300);
    board.setPresence(3, 4, true);
    board.closeDoor(3, 4);
    await vi.waitFor(
      () =>
        expect(doors).toEqual([
          [8, 'open'],
          [8, 'closed'],
        ]),
      soon,
    );
    expect(log.lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('a board slower than the default timeout works without retries when the timeout is raised', async () => {
    const bench = await aBench({ config: { requestTimeoutMs: 800 } });
    bench.board.delayReplies(300);
    const started = performance.now();
    await bench.driver.unlock(3, 300);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(unlocksTo(bench, 0)).toBe(1);
    expect(bench.board.door(0, 3)).toBe('open');
  });

  it('a jammed lock is a LockFault, and the door seen open later still raises its event', async () => {
    const { driver, board, doors } = await aBench();
    board.jam(3, 1);
    const error = await driver.unlock(5, 300).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LockFault);
    expect(error).toMatchObject({ compartment: 5, detail: 'door did not open within 400 ms (the lock still reports closed)' });
    expect(board.pulses(3, 1)).toBe(1);
    expect(doors).toEqual([]);
    board.forceOpen(3, 1);
    await vi.waitFor(() => expect(doors).toEqual([[5, 'open']]), soon);
  });

  it('requests from unlocks and polling go out one at a time, never overlapping on the bus', async () => {
    const bench = await aBench({ config: { pollIntervalMs: 20, requestTimeoutMs: 1_000 } });
    bench.board.delayReplies(30);
    await Promise.all([1, 2, 5, 6, 3, 7].map((n) => bench.driver.unlock(n, 300)));
    expect(bench.board.overlaps).toBe(0);
    expect(unlocksTo(bench, 0) + unlocksTo(bench, 3)).toBe(6);
  });
});
