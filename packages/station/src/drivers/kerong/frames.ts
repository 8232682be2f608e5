/**
 * Kerong CU-series frames: `STX <fields> ETX SUM`, where SUM is the low byte of the
 * arithmetic sum of every byte before it. Which fields sit between STX and ETX differs
 * between board models and firmwares, so each board type is one row of {@link boardTypes}
 * and the encoders and decoders below only read that row.
 */

export const STX = 0x02;
export const ETX = 0x03;

export type BoardTypeName = 'cu16' | 'cu48';

/**
 * One field between STX and ETX. `address+lock` is one byte: board address in the high
 * nibble, lock index in the low one. `locks` and `sensors` are one bit per lock, lowest lock
 * in bit 0 of the first byte (doors 1–8, then 9–16, …).
 */
export type Field = 'address+lock' | 'address' | 'lock' | 'command' | 'locks' | 'sensors';

export interface BoardType {
  readonly name: BoardTypeName;
  readonly locksPerBoard: number;
  /** Highest address the board's DIP switches can set. */
  readonly maxAddress: number;
  readonly request: readonly Field[];
  /** Boards answer both status requests and unlocks with this status frame. */
  readonly reply: readonly Field[];
  readonly commands: { readonly status: number; readonly unlock: number; readonly reply: number };
  /** Value of a lock feedback bit while the door is shut and latched. */
  readonly closedBit: 0 | 1;
  /** Value of an infrared sensor bit while something is in the compartment. */
  readonly presentBit: 0 | 1;
}

/** The byte maps, one per board type. Change a firmware's quirks here and nowhere else. */
export const boardTypes: Readonly<Record<BoardTypeName, BoardType>> = {
  // CU16: `02 ADDR CMD 03 SUM`, status answer `02 ADDR 35 L1 L2 S1 S2 03 SUM`.
  cu16: {
    name: 'cu16',
    locksPerBoard: 16,
    maxAddress: 15,
    request: ['address+lock', 'command'],
    reply: ['address+lock', 'command', 'locks', 'sensors'],
    commands: { status: 0x30, unlock: 0x31, reply: 0x35 },
    closedBit: 1,
    presentBit: 1,
  },
  // CU48 firmwares with the 6-byte variant: `02 ADDR LOCK CMD 03 SUM`. The status answer's
  // layout (48 lock bits, 48 sensor bits, status command echoed) follows the CU16 pattern;
  // check it against the board's manual before relying on it.
  cu48: {
    name: 'cu48',
    locksPerBoard: 48,
    maxAddress: 15,
    request: ['address', 'lock', 'command'],
    reply: ['address', 'lock', 'command', 'locks', 'sensors'],
    commands: { status: 0x60, unlock: 0x61, reply: 0x60 },
    closedBit: 1,
    presentBit: 1,
  },
};

export function isBoardTypeName(value: unknown): value is BoardTypeName {
  return typeof value === 'string' && Object.hasOwn(boardTypes, value);
}

/** A request to one board. `lock` is the 0-based index on the board (door 1 → 0). */
export interface BoardRequest {
  address: number;
  lock: number;
  command: number;
}

/** A board's answer: one entry per lock index, door 1 first. */
export interface BoardStatus {
  address: number;
  lock: number;
  command: number;
  doorClosed: boolean[];
  present: boolean[];
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; reason: string };

export function checksum(bytes: Uint8Array, end = bytes.length): number {
  let sum = 0;
  for (let i = 0; i < end; i++) sum += bytes[i]!;
  return sum & 0xff;
}

export function frameLength(type: BoardType, fields: readonly Field[]): number {
  return 3 + fields.reduce((n, field) => n + fieldLength(type, field), 0);
}

export const requestLength = (type: BoardType): number => frameLength(type, type.request);
export const replyLength = (type: BoardType): number => frameLength(type, type.reply);

/** Why these bytes are not a well-framed frame (STX, ETX, SUM), or undefined when they are. */
export function frameProblem(bytes: Uint8Array): string | undefined {
  const n = bytes.length;
  if (n < 4) return 'too short';
  if (bytes[0] !== STX) return 'no STX at the start';
  if (bytes[n - 2] !== ETX) return 'no ETX before the checksum';
  const want = checksum(bytes, n - 1);
  if (bytes[n - 1] !== want) return `bad checksum ${hex(bytes[n - 1]!)} (expected ${hex(want)})`;
  return undefined;
}

export function encodeRequest(type: BoardType, request: BoardRequest): Uint8Array {
  return encode(type, type.request, { ...request, doorClosed: [], present: [] });
}

export function decodeRequest(type: BoardType, bytes: Uint8Array): Decoded<BoardRequest> {
  const decoded = decode(type, type.request, bytes);
  if (!decoded.ok) return decoded;
  const { address, lock, command } = decoded.value;
  return { ok: true, value: { address, lock, command } };
}

export function encodeStatus(type: BoardType, status: BoardStatus): Uint8Array {
  return encode(type, type.reply, status);
}

export function decodeStatus(type: BoardType, bytes: Uint8Array): Decoded<BoardStatus> {
  return decode(type, type.reply, bytes);
}

/** `02 00 30 03 35`, for logs and test names. */
export function toHex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}

// ---- internals ----

function fieldLength(type: BoardType, field: Field): number {
  return field === 'locks' || field === 'sensors' ? Math.ceil(type.locksPerBoard / 8) : 1;
}

function encode(type: BoardType, fields: readonly Field[], values: BoardStatus): Uint8Array {
  const { address, lock, command } = values;
  checkRange('address', address, type.maxAddress);
  checkRange('lock index', lock, type.locksPerBoard - 1);
  checkRange('command', command, 0xff);
  const bytes = new Uint8Array(frameLength(type, fields));
  let at = 0;
  bytes[at++] = STX;
  for (const field of fields) {
    switch (field) {
      case 'address+lock':
        checkRange('address', address, 0x0f);
        checkRange('lock index', lock, 0x0f);
        bytes[at++] = (address << 4) | lock;
        break;
      case 'address':
        bytes[at++] = address;
        break;
      case 'lock':
        bytes[at++] = lock;
        break;
      case 'command':
        bytes[at++] = command;
        break;
      case 'locks':
        at = writeBits(type, bytes, at, values.doorClosed, type.closedBit);
        break;
      case 'sensors':
        at = writeBits(type, bytes, at, values.present, type.presentBit);
        break;
      default:
        assertNever(field);
    }
  }
  bytes[at++] = ETX;
  bytes[at] = checksum(bytes, at);
  return bytes;
}

function decode(type: BoardType, fields: readonly Field[], bytes: Uint8Array): Decoded<BoardStatus> {
  const length = frameLength(type, fields);
  if (bytes.length !== length) return { ok: false, reason: `${bytes.length} bytes, a ${type.name} frame has ${length}` };
  const problem = frameProblem(bytes);
  if (problem) return { ok: false, reason: problem };
  const value: BoardStatus = { address: 0, lock: 0, command: 0, doorClosed: [], present: [] };
  let at = 1;
  for (const field of fields) {
    switch (field) {
      case 'address+lock':
        value.address = bytes[at]! >> 4;
        value.lock = bytes[at++]! & 0x0f;
        break;
      case 'address':
        value.address = bytes[at++]!;
        break;
      case 'lock':
        value.lock = bytes[at++]!;
        break;
      case 'command':
        value.command = bytes[at++]!;
        break;
      case 'locks':
        value.doorClosed = readBits(type, bytes, at, type.closedBit);
        at += fieldLength(type, field);
        break;
      case 'sensors':
        value.present = readBits(type, bytes, at, type.presentBit);
        at += fieldLength(type, field);
        break;
      default:
        assertNever(field);
    }
  }
  if (value.address > type.maxAddress) return { ok: false, reason: `address ${value.address} is above ${type.maxAddress}` };
  if (value.lock >= type.locksPerBoard) return { ok: false, reason: `lock index ${value.lock} is not on a ${type.name}` };
  return { ok: true, value };
}

function writeBits(type: BoardType, bytes: Uint8Array, at: number, flags: boolean[], setBit: 0 | 1): number {
  if (flags.length !== type.locksPerBoard) {
    throw new RangeError(`a ${type.name} status carries ${type.locksPerBoard} flags per field, got ${flags.length}`);
  }
  const length = fieldLength(type, 'locks');
  for (let i = 0; i < length * 8; i++) {
    const bit = i < flags.length && flags[i] ? setBit : 1 - setBit;
    if (bit) bytes[at + (i >> 3)]! |= 1 << (i & 7);
  }
  return at + length;
}

function readBits(type: BoardType, bytes: Uint8Array, at: number, setBit: 0 | 1): boolean[] {
  return Array.from({ length: type.locksPerBoard }, (_, i) => ((bytes[at + (i >> 3)]! >> (i & 7)) & 1) === setBit);
}

function checkRange(what: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`${what} ${value} is outside 0–${max}`);
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0').toUpperCase()}`;
}

function assertNever(value: never): never {
  throw new Error(`unhandled frame field ${String(value)}`);
}
