import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameReader, type ReaderOutput } from './frame-reader.js';
import { boardTypes, encodeStatus, replyLength, toHex, type BoardStatus } from './frames.js';

const cu16 = boardTypes.cu16;

function aStatus(overrides: Partial<BoardStatus> = {}): BoardStatus {
  return {
    address: 0,
    lock: 0,
    command: 0x35,
    doorClosed: Array.from({ length: 16 }, () => true),
    present: Array.from({ length: 16 }, () => false),
    ...overrides,
  };
}

const frames = (outputs: ReaderOutput[]): string[] => outputs.filter((o) => o.kind === 'frame').map((o) => toHex(o.bytes));
const discarded = (outputs: ReaderOutput[]) => outputs.filter((o) => o.kind === 'discarded');

describe('FrameReader', () => {
  it('a frame that arrives in pieces is read once, whole', () => {
    const reader = new FrameReader(replyLength(cu16));
    const frame = encodeStatus(cu16, aStatus({ address: 2 }));
    expect(reader.push(frame.subarray(0, 1))).toEqual([]);
    expect(reader.push(frame.subarray(1, 6))).toEqual([]);
    expect(frames(reader.push(frame.subarray(6)))).toEqual([toHex(frame)]);
  });

  it('lock bits equal to STX or ETX do not confuse the framing', () => {
    // Doors 1 and 3 closed only → L1 = 0x05; door 2 closed only → 0x02; doors 1–2 → 0x03.
    const closed = (...doors: number[]) => Array.from({ length: 16 }, (_, i) => doors.includes(i + 1));
    const frame = encodeStatus(cu16, aStatus({ doorClosed: closed(2, 9, 10), present: closed(1, 2) }));
    expect(toHex(frame)).toContain('02 03 03 00');
    expect(frames(new FrameReader(replyLength(cu16)).push(frame))).toEqual([toHex(frame)]);
  });

  it('line noise and a frame with a bad checksum are discarded with a reason, and the next good frame is read', () => {
    const reader = new FrameReader(replyLength(cu16));
    const bad = encodeStatus(cu16, aStatus());
    bad[bad.length - 1] = (bad[bad.length - 1]! + 1) & 0xff;
    const good = encodeStatus(cu16, aStatus({ address: 5 }));
    const out = reader.push(Uint8Array.from([0xff, 0x00, ...bad, ...good]));
    expect(frames(out)).toEqual([toHex(good)]);
    expect(discarded(out)).toHaveLength(1);
    expect(discarded(out)[0]).toMatchObject({ reason: expect.stringMatching(/checksum/) });
    expect(discarded(out)[0]!.bytes).toHaveLength(2 + bad.length);
  });

  it('a stale half frame does not swallow the answer after a reset', () => {
    const reader = new FrameReader(replyLength(cu16));
    const frame = encodeStatus(cu16, aStatus({ address: 1 }));
    reader.push(frame.subarray(0, 4));
    reader.reset();
    expect(frames(reader.push(frame))).toEqual([toHex(frame)]);
  });

  it('any sequence of frames cut at any points is read back exactly, with nothing discarded', () => {
    const aStatusFrame = fc
      .record({ address: fc.integer({ min: 0, max: 15 }), bits: fc.array(fc.boolean(), { minLength: 32, maxLength: 32 }) })
      .map(({ address, bits }) =>
        encodeStatus(cu16, aStatus({ address, doorClosed: bits.slice(0, 16), present: bits.slice(16) })),
      );
    fc.assert(
      fc.property(fc.array(aStatusFrame, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 }), (sent, cuts) => {
        const stream = Uint8Array.from(sent.flatMap((f) => [...f]));
        const points = [...new Set(cuts.map((c) => c % stream.length))].sort((a, b) => a - b);
        const reader = new FrameReader(replyLength(cu16));
        const out: ReaderOutput[] = [];
        let from = 0;
        for (const to of [...points, stream.length]) {
          out.push(...reader.push(stream.subarray(from, to)));
          from = to;
        }
        expect(frames(out)).toEqual(sent.map(toHex));
        expect(discarded(out)).toEqual([]);
      }),
    );
  });
});
