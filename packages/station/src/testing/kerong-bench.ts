import type { DoorState } from '../drivers/driver.js';
import type { KerongBoardConfig } from '../drivers/kerong/config.js';
import { KerongDriver } from '../drivers/kerong/driver.js';
import type { BoardTypeName } from '../drivers/kerong/frames.js';
import { SimBoard } from '../drivers/kerong/sim-board.js';
import { capturedLogger } from './captured-logger.js';
import { openPtyPair, type PtyPair } from './pty-pair.js';

/** The real driver and simulated boards on the two ends of a pseudo-terminal pair. */
export interface KerongBench {
  pty: PtyPair;
  board: SimBoard;
  driver: KerongDriver;
  log: ReturnType<typeof capturedLogger>;
  doors: [number, DoorState][];
  presence: [number, boolean][];
  close(): Promise<void>;
}

export interface KerongBenchOptions {
  boardType?: BoardTypeName;
  /** Board addresses the simulation answers for; default: those in the config. */
  addresses?: number[];
  config?: Partial<KerongBoardConfig>;
  /** Runs on the simulated boards before the driver opens (doors already open, devices inside). */
  prepare?: (board: SimBoard) => void;
}

/**
 * Compartments 1–4 on board 0 (locks 1–4) and 5–8 on board 3 (locks 1–4): two boards on one
 * bus, so every test also checks that commands reach the right address.
 */
export function twoBoardWiring(): KerongBoardConfig['compartments'] {
  return [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ number: i + 1, board: i < 4 ? 0 : 3, lock: (i % 4) + 1 }));
}

export async function openKerongBench(options: KerongBenchOptions = {}): Promise<KerongBench> {
  const config: KerongBoardConfig = {
    boardType: options.boardType ?? 'cu16',
    compartments: twoBoardWiring(),
    // Generous against a loaded CI machine; tests about timeouts set their own.
    requestTimeoutMs: 400,
    pollIntervalMs: 40,
    openTimeoutMs: 400,
    ...options.config,
  };
  const addresses = options.addresses ?? [...new Set(config.compartments.map((c) => c.board))];
  const log = capturedLogger();
  const pty = await openPtyPair();
  let board: SimBoard | undefined;
  try {
    board = await SimBoard.open({ path: pty.boardEnd, boardType: config.boardType, addresses });
    options.prepare?.(board);
    const driver = await KerongDriver.open({ path: pty.driverEnd, config, logger: log });
    const doors: [number, DoorState][] = [];
    const presence: [number, boolean][] = [];
    driver.on('door', (n, state) => doors.push([n, state]));
    driver.on('presence', (n, present) => presence.push([n, present]));
    const simBoard = board;
    const close = async (): Promise<void> => {
      await driver.close();
      await simBoard.close();
      await pty.close();
    };
    return { pty, board, driver, log, doors, presence, close };
  } catch (error) {
    await board?.close();
    await pty.close();
    throw error;
  }
}
