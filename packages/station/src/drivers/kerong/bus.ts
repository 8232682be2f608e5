import type { SerialPort } from 'serialport';
import { silentLogger, type Logger } from '../../logger.js';
import { FrameReader } from './frame-reader.js';
import {
  decodeStatus,
  encodeRequest,
  replyLength,
  toHex,
  type BoardRequest,
  type BoardStatus,
  type BoardType,
} from './frames.js';
import { closeSerialPort, defaultBaudRate, openSerialPort } from './serial.js';

export interface KerongBusOptions {
  /** Serial device of the RS-485 adapter, e.g. /dev/ttyUSB0. */
  path: string;
  boardType: BoardType;
  /** Default 19200 (8N1). */
  baudRate?: number;
  /** How long one attempt waits for the board's answer. Default 200 ms. */
  requestTimeoutMs?: number;
  /** Further attempts after the first one goes unanswered. Default 2. */
  retries?: number;
  logger?: Logger;
}

/** A board that did not answer, even after the retries: unpowered, wrong address or broken wiring. */
export class BoardNotAnswering extends Error {
  readonly address: number;
  readonly attempts: number;

  constructor(address: number, attempts: number, timeoutMs: number) {
    super(`lock board ${address} did not answer (${attempts} attempts, ${timeoutMs} ms each)`);
    this.name = 'BoardNotAnswering';
    this.address = address;
    this.attempts = attempts;
  }
}

/** The bus was closed (shutdown, or the serial adapter went away) before the request was answered. */
export class BusClosed extends Error {
  constructor(detail = 'the RS-485 bus is closed') {
    super(detail);
    this.name = 'BusClosed';
  }
}

interface Waiter {
  address: number;
  settle(status: BoardStatus | undefined): void;
  fail(error: Error): void;
}

/**
 * One RS-485 bus with one or more boards of one type. RS-485 is half duplex and the boards
 * only speak when spoken to, so requests go out one at a time, in the order asked: each
 * waits for its board's answer (or the timeout, then a retry) before the next is sent.
 */
export class KerongBus {
  readonly #port: SerialPort;
  readonly #type: BoardType;
  readonly #reader: FrameReader;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #log: Logger;
  #tail: Promise<unknown> = Promise.resolve();
  #waiter: Waiter | undefined;
  #closedBecause: string | undefined;

  static async open(options: KerongBusOptions): Promise<KerongBus> {
    const port = await openSerialPort(options.path, options.baudRate ?? defaultBaudRate);
    return new KerongBus(port, options);
  }

  private constructor(port: SerialPort, options: KerongBusOptions) {
    this.#port = port;
    this.#type = options.boardType;
    this.#reader = new FrameReader(replyLength(options.boardType));
    this.#timeoutMs = options.requestTimeoutMs ?? 200;
    this.#retries = options.retries ?? 2;
    this.#log = options.logger ?? silentLogger;
    port.on('data', this.#onData);
    port.on('error', (error: Error) => this.#log.error({ err: error.message }, 'serial port error'));
    port.on('close', () => {
      if (this.#closedBecause) return;
      this.#log.error({ path: options.path }, 'the serial device closed unexpectedly');
      this.#shutDown('the serial device closed unexpectedly');
    });
  }

  status(address: number, options: { retries?: number } = {}): Promise<BoardStatus> {
    return this.request({ address, lock: 0, command: this.#type.commands.status }, options);
  }

  /** Pulses one lock (0-based index); resolves with the status the board answers with. */
  unlock(address: number, lock: number): Promise<BoardStatus> {
    return this.request({ address, lock, command: this.#type.commands.unlock });
  }

  /** Queues a request behind the ones already asked; rejects with BoardNotAnswering or BusClosed. */
  request(request: BoardRequest, options: { retries?: number } = {}): Promise<BoardStatus> {
    const frame = encodeRequest(this.#type, request);
    const run = this.#tail.then(() => this.#exchange(request.address, frame, options.retries ?? this.#retries));
    this.#tail = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    if (this.#closedBecause) return;
    this.#shutDown('the RS-485 bus is closed');
    await closeSerialPort(this.#port);
  }

  async #exchange(address: number, frame: Uint8Array, retries: number): Promise<BoardStatus> {
    const attempts = retries + 1;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (this.#closedBecause) throw new BusClosed(this.#closedBecause);
      this.#reader.reset();
      const status = await this.#attempt(address, frame);
      if (status) return status;
      if (attempt < attempts) this.#log.debug({ board: address, attempt, frame: toHex(frame) }, 'no answer, retrying');
    }
    throw new BoardNotAnswering(address, attempts, this.#timeoutMs);
  }

  #attempt(address: number, frame: Uint8Array): Promise<BoardStatus | undefined> {
    return new Promise((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        if (this.#waiter === waiter) this.#waiter = undefined;
      };
      const waiter: Waiter = {
        address,
        settle: (status) => {
          finish();
          resolve(status);
        },
        fail: (error) => {
          finish();
          reject(error);
        },
      };
      const timer = setTimeout(() => waiter.settle(undefined), this.#timeoutMs);
      this.#waiter = waiter;
      this.#port.write(Buffer.from(frame), (error) => {
        if (error) waiter.fail(new BusClosed(`cannot write to the serial device: ${error.message}`));
      });
    });
  }

  readonly #onData = (chunk: Buffer): void => {
    for (const out of this.#reader.push(chunk)) {
      if (out.kind === 'discarded') {
        this.#log.warn({ bytes: toHex(out.bytes), reason: out.reason }, 'discarded bytes that are not a valid frame');
        continue;
      }
      const decoded = decodeStatus(this.#type, out.bytes);
      if (!decoded.ok) {
        this.#log.warn({ frame: toHex(out.bytes), reason: decoded.reason }, 'discarded a frame that is not a status answer');
        continue;
      }
      const status = decoded.value;
      const waiter = this.#waiter;
      if (waiter && status.address === waiter.address && status.command === this.#type.commands.reply) waiter.settle(status);
      else this.#log.debug({ frame: toHex(out.bytes) }, 'ignored an answer nobody is waiting for');
    }
  };

  #shutDown(reason: string): void {
    this.#closedBecause = reason;
    this.#waiter?.fail(new BusClosed(reason));
  }
}
