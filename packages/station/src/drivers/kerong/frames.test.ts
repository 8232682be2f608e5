import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boardTypes,
  decodeRequest,
  decodeStatus,
  encodeRequest,
  encodeStatus,
  toHex,
  type BoardStatus,
  type BoardType,
} from './frames.js';

const { cu16, cu48 } = boardTypes;

function fromHex(text: string): Uint8Array {
  return Uint8Array.from(text.split(' ').map((b) => parseInt(b, 16)));
}

describe('Kerong frames against the documented bytes', () => {
  const examples: [string, BoardType, { address: number; lock: number; command: number }, string][] = [
    ['status of board 0', cu16, { address: 0, lock: 0, command: 0x30 }, '02 00 30 03 35'],
    ['unlock door 1 of board 0', cu16, { address: 0, lock: 0, command: 0x31 }, '02 00 31 03 36'],
    ['unlock door 5 of board 0', cu16, { address: 0, lock: 4, command: 0x31 }, '02 04 31 03 3A'],
    ['unlock door 1 of a CU48 at address 0', cu48, { address: 0, lock: 0, command: 0x61 }, '02 00 00 61 03 66'],
    ['unlock door 3 of board 2 (address in the high nibble)', cu16, { address: 2, lock: 2, command: 0x31 }, '02 22 31 03 58'],
  ];

  it.each(examples)('%s encodes as the documented frame', (_name, type, request, bytes) => {
    expect(toHex(encodeRequest(type, request))).toBe(bytes);
  });

  it.each(examples)('%s decodes back from the documented frame', (_name, type, request, bytes) => {
    expect(decodeRequest(type, fromHex(bytes))).toEqual({ ok: true, value: request });
  });

  it('a CU16 status answer carries one lock bit and one sensor bit per door, door 1 in bit 0', () => {
    // Board 1: L1 = 0xFE (door 1 open, 2–8 closed), L2 = 0xFF, S1 = 0x01 (device in 1), S2 = 0x80 (device in 16).
    const frame = fromHex('02 10 35 FE FF 01 80 03 00');
    frame[8] = frame.slice(0, 8).reduce((a, b) => a + b, 0) & 0xff;
    const decoded = decodeStatus(cu16, frame);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.value.address).toBe(1);
    expect(decoded.value.command).toBe(0x35);
    expect(decoded.value.doorClosed.map((closed, i) => (closed ? 0 : i + 1)).filter(Boolean)).toEqual([1]);
    expect(decoded.value.present.map((here, i) => (here ? i + 1 : 0)).filter(Boolean)).toEqual([1, 16]);
  });

  it('a frame with a wrong checksum, a missing ETX or the wrong length is refused with the reason', () => {
    expect(decodeRequest(cu16, fromHex('02 00 30 03 36'))).toEqual({ ok: false, reason: 'bad checksum 0x36 (expected 0x35)' });
    expect(decodeRequest(cu16, fromHex('02 00 30 04 36'))).toMatchObject({ ok: false, reason: 'no ETX before the checksum' });
    expect(decodeRequest(cu16, fromHex('02 00 00 61 03 66'))).toMatchObject({ ok: false, reason: '6 bytes, a cu16 frame has 5' });
  });

  it('encoding refuses an address or lock the board type cannot express', () => {
    expect(() => encodeRequest(cu16, { address: 16, lock: 0, command: 0x31 })).toThrow(RangeError);
    expect(() => encodeRequest(cu16, { address: 0, lock: 16, command: 0x31 })).toThrow(RangeError);
    expect(() => encodeRequest(cu48, { address: 0, lock: 48, command: 0x61 })).toThrow(RangeError);
  });
});

const anyType = fc.constantFrom(cu16, cu48);

const aRequest = (type: BoardType) =>
  fc.record({
    address: fc.integer({ min: 0, max: type.maxAddress }),
    lock: fc.integer({ min: 0, max: type.locksPerBoard - 1 }),
    command: fc.integer({ min: 0, max: 0xff }),
  });

const aStatus = (type: BoardType): fc.Arbitrary<BoardStatus> =>
  fc.record({
    address: fc.integer({ min: 0, max: type.maxAddress }),
    lock: fc.integer({ min: 0, max: type.locksPerBoard - 1 }),
    command: fc.constant(type.commands.reply),
    doorClosed: fc.array(fc.boolean(), { minLength: type.locksPerBoard, maxLength: type.locksPerBoard }),
    present: fc.array(fc.boolean(), { minLength: type.locksPerBoard, maxLength: type.locksPerBoard }),
  });

/** Any frame of either board type, with its decoder. */
const aFrame = anyType.chain((type) =>
  fc.oneof(
    aRequest(type).map((r) => ({ bytes: encodeRequest(type, r), decode: (b: Uint8Array) => decodeRequest(type, b) })),
    aStatus(type).map((s) => ({ bytes: encodeStatus(type, s), decode: (b: Uint8Array) => decodeStatus(type, b) })),
  ),
);

describe('Kerong frame properties', () => {
  it('every request decodes to what was encoded, for every board type', () => {
    fc.assert(
      fc.property(
        anyType.chain((type) => fc.tuple(fc.constant(type), aRequest(type))),
        ([type, request]) => {
          expect(decodeRequest(type, encodeRequest(type, request))).toEqual({ ok: true, value: request });
        },
      ),
    );
  });

  it('every status answer decodes to what was encoded, for every board type', () => {
    fc.assert(
      fc.property(
        anyType.chain((type) => fc.tuple(fc.constant(type), aStatus(type))),
        ([type, status]) => {
          expect(decodeStatus(type, encodeStatus(type, status))).toEqual({ ok: true, value: status });
        },
      ),
    );
  });

  it('changing any single byte of a frame makes it undecodable', () => {
    fc.assert(
      fc.property(aFrame, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ bytes, decode }, at, delta) => {
        const corrupt = bytes.slice();
        const i = at % corrupt.length;
        corrupt[i] = (corrupt[i]! + delta) & 0xff;
        expect(decode(corrupt).ok).toBe(false);
      }),
    );
  });
});
