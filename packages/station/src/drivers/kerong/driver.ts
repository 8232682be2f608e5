import type { CompartmentReading } from '@cubby/protocol';
import { silentLogger, type Logger } from '../../logger.js';
import { TypedEmitter } from '../../typed-emitter.js';
import { LockFault, type DoorState, type LockDriver, type LockDriverEvents } from '../driver.js';
import { BusClosed, KerongBus } from './bus.js';
import type { KerongBoardConfig } from './config.js';
import { boardTypes, type BoardStatus } from './frames.js';

export interface KerongDriverOptions {
  /** Serial device of the RS-485 adapter, e.g. /dev/ttyUSB0. */
  path: string;
  /** Default 19200 (8N1). */
  baudRate?: number;
  /** Wiring and timing, usually from {@link loadBoardConfig}. */
  config: KerongBoardConfig;
  logger?: Logger;
}

interface Place {
  board: number;
  /** 0-based lock index on the board. */
  lock: number;
}

/**
 * A locker bank wired to Kerong CU-series lock boards on one RS-485 bus. The boards never
 * speak first, so the driver polls every board and turns changes in the lock feedback and
 * infrared bits into `door` and `presence` events; `readings()` answers from the latest poll.
 *
 * Charging: CU boards switch locks only, so there is no charger relay to drive. Chargers in
 * such banks are wired to the supply; `setCharging` accepts the command and changes nothing,
 * and readings report `charging: false` because the board cannot see it.
 */
export class KerongDriver extends TypedEmitter<LockDriverEvents> implements LockDriver {
  readonly numbers: readonly number[];
  readonly #bus: KerongBus;
  readonly #log: Logger;
  readonly #places = new Map<number, Place>();
  /** Per board address: the compartments wired to it, with their lock index. */
  readonly #byBoard = new Map<number, [number, number][]>();
  readonly #latest = new Map<number, BoardStatus>();
  readonly #silentBoards = new Set<number>();
  readonly #aborts = new Set<() => void>();
  readonly #pollIntervalMs: number;
  readonly #openTimeoutMs: number;
  #pollTimer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #closed = false;

  /** Opens the serial device and polls every board once before resolving. */
  static async open(options: KerongDriverOptions): Promise<KerongDriver> {
    const { config } = options;
    const bus = await KerongBus.open({
      path: options.path,
      boardType: boardTypes[config.boardType],
      ...(options.baudRate !== undefined ? { baudRate: options.baudRate } : {}),
      ...(config.requestTimeoutMs !== undefined ? { requestTimeoutMs: config.requestTimeoutMs } : {}),
      ...(config.retries !== undefined ? { retries: config.retries } : {}),
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const driver = new KerongDriver(bus, options);
    await driver.#pollAll();
    driver.#schedulePoll();
    return driver;
  }

  private constructor(bus: KerongBus, options: KerongDriverOptions) {
    super();
    this.#bus = bus;
    this.#log = options.logger ?? silentLogger;
    this.#pollIntervalMs = options.config.pollIntervalMs ?? 250;
    this.#openTimeoutMs = options.config.openTimeoutMs ?? 1500;
    for (const { number, board, lock } of options.config.compartments) {
      this.#places.set(number, { board, lock: lock - 1 });
      const onBoard = this.#byBoard.get(board) ?? [];
      onBoard.push([number, lock - 1]);
      this.#byBoard.set(board, onBoard);
    }
    this.numbers = [...this.#places.keys()].sort((a, b) => a - b);
  }

  /**
   * Pulses the lock (the board's own pulse length applies; `pulseMs` is not sent) and
   * resolves once the lock feedback reads open. A door that opens after the timeout still
   * raises its `door` event when the next poll sees it.
   */
  async unlock(compartment: number, _pulseMs: number): Promise<void> {
    const place = this.#places.get(compartment);
    if (!place) throw new LockFault(compartment, 'no such compartment on this bank');
    if (this.#closed) throw new LockFault(compartment, 'the lock board is closed');
    let status: BoardStatus;
    try {
      status = await this.#bus.unlock(place.board, place.lock);
    } catch (error) {
      throw new LockFault(compartment, (error as Error).message, { cause: error });
    }
    this.#apply(status);
    if (this.#door(place) === 'open') return;
    await this.#doorOpening(compartment, place);
  }

  /** The sensors as of the latest answer from each board (polled every `pollIntervalMs`). */
  async readings(): Promise<CompartmentReading[]> {
    return this.numbers.map((number) => {
      const place = this.#places.get(number)!;
      return { number, door: this.#door(place), presence: this.#isPresent(place), charging: false };
    });
  }

  /** A no-op: CU boards have no charger relay (see the class comment). */
  async setCharging(compartment: number, _on: boolean): Promise<void> {
    if (!this.#places.has(compartment)) throw new RangeError(`compartment ${compartment} is not on this bank`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#pollTimer);
    for (const abort of [...this.#aborts]) abort();
    await this.#bus.close();
    await this.#polling;
  }

  // ---- polling ----

  #schedulePoll(): void {
    if (this.#closed) return;
    // A timeout chain, not an interval: a slow or dead board delays the next round instead of piling rounds up.
    this.#pollTimer = setTimeout(() => {
      this.#polling = this.#pollAll()
        .catch((error: unknown) => this.#log.error({ err: String(error) }, 'polling the lock boards failed'))
        .finally(() => {
          this.#polling = undefined;
          this.#schedulePoll();
        });
    }, this.#pollIntervalMs);
  }

  async #pollAll(): Promise<void> {
    for (const address of this.#byBoard.keys()) {
      if (this.#closed) return;
      const wasSilent = this.#silentBoards.has(address);
      try {
        // A board already known silent gets one try per round, so it does not hold the bus for the others.
        const status = await this.#bus.status(address, wasSilent ? { retries: 0 } : {});
        if (wasSilent) this.#log.info({ board: address }, 'lock board answers again');
        this.#silentBoards.delete(address);
        this.#apply(status);
      } catch (error) {
        if (error instanceof BusClosed) return;
        if (!wasSilent) this.#log.error({ board: address, err: (error as Error).message }, 'lock board does not answer');
        this.#silentBoards.add(address);
      }
    }
  }

  /** Takes in a board's status and reports what changed; before a board's first answer its doors count as closed and empty. */
  #apply(status: BoardStatus): void {
    const before = this.#latest.get(status.address);
    this.#latest.set(status.address, status);
    for (const [number, lock] of this.#byBoard.get(status.address) ?? []) {
      const wasPresent = before?.present[lock] ?? false;
      const isPresent = status.present[lock] ?? false;
      // Presence first, so a door_closed event carries the presence seen in the same poll.
      if (wasPresent !== isPresent) this.emit('presence', number, isPresent);
      const wasClosed = before?.doorClosed[lock] ?? true;
      const isClosed = status.doorClosed[lock] ?? true;
      if (wasClosed !== isClosed) this.emit('door', number, isClosed ? 'closed' : 'open');
    }
  }

  #door(place: Place): DoorState {
    return this.#latest.get(place.board)?.doorClosed[place.lock] === false ? 'open' : 'closed';
  }

  #isPresent(place: Place): boolean {
    return this.#latest.get(place.board)?.present[place.lock] ?? false;
  }

  #doorOpening(compartment: number, place: Place): Promise<void> {
    return new Promise((resolve, reject) => {
      const onDoor = (number: number, state: DoorState): void => {
        if (number === compartment && state === 'open') finish();
      };
      const finish = (fault?: LockFault): void => {
        clearTimeout(timer);
        this.off('door', onDoor);
        this.#aborts.delete(abort);
        if (fault) reject(fault);
        else resolve();
      };
      const abort = (): void => finish(new LockFault(compartment, 'the lock board closed before the door opened'));
      const timer = setTimeout(() => {
        const why = this.#silentBoards.has(place.board)
          ? `lock board ${place.board} stopped answering`
          : 'the lock still reports closed';
        finish(new LockFault(compartment, `door did not open within ${this.#openTimeoutMs} ms (${why})`));
      }, this.#openTimeoutMs);
      this.on('door', onDoor);
      this.#aborts.add(abort);
    });
  }
}
