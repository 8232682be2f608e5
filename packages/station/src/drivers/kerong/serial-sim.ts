import type { Logger } from '../../logger.js';
import type { AutopilotBank } from '../../sim-autopilot.js';
import { openPtyPair, type PtyPair } from '../../testing/pty-pair.js';
import type { DoorState } from '../driver.js';
import type { SimCompartmentConfig, SimDevice } from '../sim.js';
import type { KerongBoardConfig } from './config.js';
import { KerongDriver } from './driver.js';
import { SimBoard } from './sim-board.js';

/** A station's bank as simulated Kerong CU16 boards behind a socat pty pair, driven by the real driver. */
export interface SerialSimBank {
  /** The real Kerong driver, on the driver end of the pty pair. */
  driver: KerongDriver;
  /** The simulated boards on the other end. */
  board: SimBoard;
  /** The person at the bank, by compartment number, for {@link SimAutopilot}. */
  hands: AutopilotBank;
  config: KerongBoardConfig;
  /** Closes the driver (again, harmless), the boards and socat. */
  close(): Promise<void>;
}

/** Compartments in order on CU16 boards: 1–16 on board 0, 17–32 on board 1, … */
export function serialSimWiring(numbers: readonly number[]): KerongBoardConfig['compartments'] {
  return numbers.map((number, i) => ({ number, board: Math.floor(i / 16), lock: (i % 16) + 1 }));
}

/**
 * Starts socat, simulated boards holding the given devices, and the Kerong driver on them.
 * Needs `socat` (apt-get install socat). The boards see presence only, so the batteries of
 * the devices are remembered here for the hands, never reported by the driver.
 */
export async function openSerialSimBank(compartments: SimCompartmentConfig[], logger?: Logger): Promise<SerialSimBank> {
  const wiring = serialSimWiring(compartments.map((c) => c.number));
  const config: KerongBoardConfig = { boardType: 'cu16', compartments: wiring };
  const place = new Map(wiring.map((w) => [w.number, w]));
  const at = (number: number): { board: number; lock: number } => {
    const found = place.get(number);
    if (!found) throw new RangeError(`no compartment ${number} on the serial sim`);
    return found;
  };
  const batteries = new Map<number, number>();
  let pty: PtyPair | undefined;
  let board: SimBoard | undefined;
  try {
    pty = await openPtyPair({ ownProcessGroup: true });
    board = await SimBoard.open({
      path: pty.boardEnd,
      boardType: 'cu16',
      addresses: [...new Set(wiring.map((w) => w.board))],
      ...(logger ? { logger } : {}),
    });
    for (const c of compartments) {
      if (!c.device) continue;
      const { board: address, lock } = at(c.number);
      board.setPresence(address, lock, true);
      batteries.set(c.number, c.device.battery);
    }
    const driver = await KerongDriver.open({ path: pty.driverEnd, config, ...(logger ? { logger } : {}) });
    const simBoard = board;
    const present = (number: number): boolean => batteries.has(number);
    const hands: AutopilotBank = {
      door(number: number): DoorState {
        const { board: address, lock } = at(number);
        return simBoard.door(address, lock);
      },
      device(number: number): SimDevice | undefined {
        return present(number) ? { battery: batteries.get(number)! } : undefined;
      },
      take(number: number): SimDevice | undefined {
        const { board: address, lock } = at(number);
        if (simBoard.door(address, lock) !== 'open') throw new Error(`cannot take a device from ${number}: its door is closed`);
        if (!present(number)) return undefined;
        const battery = batteries.get(number)!;
        batteries.delete(number);
        simBoard.setPresence(address, lock, false);
        return { battery };
      },
      put(number: number, battery = 50): void {
        const { board: address, lock } = at(number);
        if (simBoard.door(address, lock) !== 'open') throw new Error(`cannot put a device into ${number}: its door is closed`);
        if (present(number)) throw new Error(`compartment ${number} already holds a device`);
        batteries.set(number, battery);
        simBoard.setPresence(address, lock, true);
      },
      closeDoor(number: number): void {
        const { board: address, lock } = at(number);
        simBoard.closeDoor(address, lock);
      },
    };
    const ends = pty;
    return {
      driver,
      board: simBoard,
      hands,
      config,
      async close() {
        await driver.close();
        await simBoard.close();
        await ends.close();
      },
    };
  } catch (error) {
    await board?.close();
    await pty?.close();
    throw error;
  }
}
