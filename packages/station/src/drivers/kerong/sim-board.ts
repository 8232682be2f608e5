import type { SerialPort } from 'serialport';
import { silentLogger, type Logger } from '../../logger.js';
import type { DoorState } from '../driver.js';
import { FrameReader } from './frame-reader.js';
import {
  boardTypes,
  decodeRequest,
  encodeStatus,
  requestLength,
  toHex,
  type BoardRequest,
  type BoardType,
  type BoardTypeName,
} from './frames.js';
import { closeSerialPort, defaultBaudRate, openSerialPort } from './serial.js';

export interface SimBoardOptions {
  /** The serial device to answer on (one end of a socat pty pair, or a real adapter). */
  path: string;
  /** Default cu16. */
  boardType?: BoardTypeName;
  /** DIP-switch addresses of the boards on this bus. */
  addresses: number[];
  baudRate?: number;
  logger?: Logger;
}

interface SimLock {
  closed: boolean;
  present: boolean;
  jammed: boolean;
  pulses: number;
}

/**
 * Kerong CU boards on the far end of a serial line, for tests and for trying a station
 * without hardware. Locks are numbered from 1 as printed on the board. Doors spring open
 * when pulsed and stay open until `closeDoor`; faults are switched on per test.
 */
export class SimBoard {
  /** Every well-formed request heard, answered or not, in order. */
  readonly requests: BoardRequest[] = [];
  readonly #port: SerialPort;
  readonly #type: BoardType;
  readonly #reader: FrameReader;
  readonly #log: Logger;
  readonly #boards = new Map<number, SimLock[]>();
  readonly #dead = new Set<number>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #tail: Promise<void> = Promise.resolve();
  #garbled = 0;
  #isSplitting = false;
  #replyDelayMs = 0;
  #springDelayMs = 0;
  #isAnswerPending = false;
  #overlaps = 0;
  #closed = false;

  static async open(options: SimBoardOptions): Promise<SimBoard> {
    const port = await openSerialPort(options.path, options.baudRate ?? defaultBaudRate);
    return new SimBoard(port, options);
  }

  private constructor(port: SerialPort, options: SimBoardOptions) {
    this.#port = port;
    this.#type = boardTypes[options.boardType ?? 'cu16'];
    this.#reader = new FrameReader(requestLength(this.#type));
    this.#log = options.logger ?? silentLogger;
    for (const address of options.addresses) {
      const locks = Array.from({ length: this.#type.locksPerBoard }, () => ({
        closed: true,
        present: false,
        jammed: false,
        pulses: 0,
      }));
      this.#boards.set(address, locks);
    }
    port.on('data', this.#onData);
    port.on('error', (error: Error) => this.#log.error({ err: error.message }, 'sim board: serial port error'));
  }

  get locksPerBoard(): number {
    return this.#type.locksPerBoard;
  }

  // ---- the person at the bank ----

  door(address: number, lock: number): DoorState {
    return this.#lock(address, lock).closed ? 'closed' : 'open';
  }

  closeDoor(address: number, lock: number): void {
    this.#lock(address, lock).closed = true;
  }

  /** Opens a door without the lock (a technician's key), jammed or not. */
  forceOpen(address: number, lock: number): void {
    this.#lock(address, lock).closed = false;
  }

  /** What the compartment's infrared sensor sees. */
  setPresence(address: number, lock: number, present: boolean): void {
    this.#lock(address, lock).present = present;
  }

  jam(address: number, lock: number): void {
    this.#lock(address, lock).jammed = true;
  }

  unjam(address: number, lock: number): void {
    this.#lock(address, lock).jammed = false;
  }

  pulses(address: number, lock: number): number {
    return this.#lock(address, lock).pulses;
  }

  // ---- faults ----

  /** The board stops answering (unpowered, cut cable, wrong DIP switches). */
  kill(address: number): void {
    this.#dead.add(address);
  }

  revive(address: number): void {
    this.#dead.delete(address);
  }

  /** The next `count` answers arrive after line noise and with a wrong checksum. */
  garbleReplies(count: number): void {
    this.#garbled = count;
  }

  /** Answers are written two bytes at a time with pauses, so the reader sees them split. */
  splitReplies(isSplitting: boolean): void {
    this.#isSplitting = isSplitting;
  }

  /** A slow board: every answer waits this long. */
  delayReplies(ms: number): void {
    this.#replyDelayMs = ms;
  }

  /** Doors spring open this long after the pulse instead of at once (the answer still comes at once). */
  springDoorsAfter(ms: number): void {
    this.#springDelayMs = ms;
  }

  /** Requests that arrived while an earlier one was still waiting for its answer: a half-duplex violation. */
  get overlaps(): number {
    return this.#overlaps;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await closeSerialPort(this.#port);
  }

  // ---- the wire ----

  readonly #onData = (chunk: Buffer): void => {
    for (const out of this.#reader.push(chunk)) {
      if (out.kind === 'discarded') {
        this.#log.warn({ bytes: toHex(out.bytes), reason: out.reason }, 'sim board: discarded bytes');
        continue;
      }
      const decoded = decodeRequest(this.#type, out.bytes);
      if (!decoded.ok) continue;
      const request = decoded.value;
      this.requests.push(request);
      if (!this.#boards.has(request.address) || this.#dead.has(request.address)) continue;
      if (this.#isAnswerPending) this.#overlaps++;
      this.#isAnswerPending = true;
      this.#tail = this.#tail
        .then(() => this.#answer(request))
        .catch((error: unknown) => {
          this.#log.error({ err: String(error) }, 'sim board: answering failed');
        });
    }
  };

  async #answer(request: BoardRequest): Promise<void> {
    if (request.command === this.#type.commands.unlock) this.#pulse(request.address, request.lock);
    else if (request.command !== this.#type.commands.status) {
      this.#isAnswerPending = false;
      return;
    }
    if (this.#replyDelayMs > 0) await this.#sleep(this.#replyDelayMs);
    const locks = this.#boards.get(request.address)!;
    let bytes = encodeStatus(this.#type, {
      address: request.address,
      lock: request.lock,
      command: this.#type.commands.reply,
      doorClosed: locks.map((l) => l.closed),
      present: locks.map((l) => l.present),
    });
    if (this.#garbled > 0) {
      this.#garbled--;
      const bad = Uint8Array.from([0xff, 0x00, ...bytes]);
      bad[bad.length - 1] = (bad[bad.length - 1]! + 1) & 0xff;
      bytes = bad;
    }
    this.#isAnswerPending = false;
    if (this.#closed) return;
    if (!this.#isSplitting) return this.#write(bytes);
    for (let at = 0; at < bytes.length; at += 2) {
      await this.#write(bytes.subarray(at, at + 2));
      await this.#sleep(15);
    }
  }

  #pulse(address: number, index: number): void {
    const lock = this.#boards.get(address)![index]!;
    lock.pulses++;
    this.#log.info({ board: address, lock: index + 1, jammed: lock.jammed }, 'sim board: lock pulsed');
    if (lock.jammed) return;
    if (this.#springDelayMs === 0) lock.closed = false;
    else {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (!lock.jammed) lock.closed = false;
      }, this.#springDelayMs);
      this.#timers.add(timer);
    }
  }

  #write(bytes: Uint8Array): Promise<void> {
    return new Promise((resolve) => this.#port.write(Buffer.from(bytes), () => resolve()));
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        resolve();
      }, ms);
      this.#timers.add(timer);
    });
  }

  #lock(address: number, lock: number): SimLock {
    const found = this.#boards.get(address)?.[lock - 1];
    if (!found) throw new RangeError(`the sim has no board ${address} lock ${lock}`);
    return found;
  }
}
