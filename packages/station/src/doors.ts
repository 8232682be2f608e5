import { BoundedMap } from './bounded-map.js';
import { isLockFault, type ChargeState, type DoorState, type LockDriver } from './drivers/driver.js';
import type { StationLink, UnlockCommand } from './link.js';
import type { Logger } from './logger.js';
import type { OfflineMode } from './offline-mode.js';

/** A door the agent has just opened for a step of a transaction. */
export interface UnlockedDoor {
  compartment: number;
  purpose: string | null;
  transactionId: string | null;
  commandId: string;
}

export interface DoorsOptions {
  driver: LockDriver;
  link: StationLink;
  log: Logger;
  offline: OfflineMode | undefined;
  /** A door open longer than this raises `door_left_open` once per opening. */
  doorLeftOpenMs: number;
  /** How many unlock command ids are remembered to refuse repeats. */
  rememberedCommands: number;
  onUnlocked: (door: UnlockedDoor) => void;
  /** Every door the sensors saw open or close, for the kiosk screen. */
  onDoor: (compartment: number, door: DoorState) => void;
}

/**
 * The station's doors between the lock board and the server: unlock commands
 * (each command id opens a door at most once), and what the sensors see,
 * reported as events. A door opened offline is left to offline mode.
 */
export class Doors {
  readonly #o: DoorsOptions;
  readonly #commands: BoundedMap<string, true>;
  readonly #presence = new Map<number, boolean>();
  readonly #openDoors = new Map<number, NodeJS.Timeout>();
  readonly #unlocking = new Map<number, number>();

  constructor(options: DoorsOptions) {
    this.#o = options;
    this.#commands = new BoundedMap(options.rememberedCommands);
    options.driver
      .on('door', this.#onDoor)
      .on('presence', this.#onPresence)
      .on('battery', this.#onBattery)
      .on('charge_state', this.#onChargeState);
  }

  /** Learns what the sensors read now, so doors already open are watched too. */
  async start(): Promise<void> {
    for (const reading of await this.#o.driver.readings()) {
      this.#presence.set(reading.number, reading.presence);
      if (reading.door === 'open') this.#watchDoor(reading.number);
    }
  }

  /** Lets go of the driver's events and of every timer. */
  close(): void {
    this.#o.driver
      .off('door', this.#onDoor)
      .off('presence', this.#onPresence)
      .off('battery', this.#onBattery)
      .off('charge_state', this.#onChargeState);
    for (const timer of this.#openDoors.values()) clearTimeout(timer);
    this.#openDoors.clear();
  }

  async unlock(command: UnlockCommand): Promise<void> {
    const { commandId, compartment, purpose, transactionId } = command;
    const { driver, link, log } = this.#o;
    if (this.#commands.has(commandId)) {
      log.info({ commandId, compartment }, 'ignored a repeated unlock command');
      return;
    }
    this.#commands.set(commandId, true);
    this.#unlocking.set(compartment, (this.#unlocking.get(compartment) ?? 0) + 1);
    try {
      await driver.unlock(compartment, command.pulseMs);
    } catch (error) {
      const detail = (isLockFault(error) ? error.detail : String(error)).slice(0, 200);
      log.warn({ commandId, compartment, detail }, 'lock fault');
      link.sendEvent({ kind: 'lock_fault', compartment, commandId, detail });
      return;
    } finally {
      const left = (this.#unlocking.get(compartment) ?? 1) - 1;
      if (left > 0) this.#unlocking.set(compartment, left);
      else this.#unlocking.delete(compartment);
    }
    link.sendEvent({ kind: 'door_opened', compartment, commandId });
    this.#o.onUnlocked({ compartment, purpose, transactionId, commandId });
  }

  readonly #onDoor = (compartment: number, door: DoorState): void => {
    const { offline, link } = this.#o;
    if (door === 'open') offline?.noteDoorOpened(compartment);
    // A door opened offline is the journal's: its events would tell the server a story the replay tells properly.
    if (offline?.ownsDoor(compartment)) {
      if (door === 'closed') offline.onDoorClosed(compartment, this.#presence.get(compartment) ?? false);
    } else if (door === 'open') {
      this.#watchDoor(compartment);
      // A commanded unlock reports its own door_opened with the command id.
      if (!this.#unlocking.has(compartment)) link.sendEvent({ kind: 'door_opened', compartment });
    } else {
      clearTimeout(this.#openDoors.get(compartment));
      this.#openDoors.delete(compartment);
      link.sendEvent({ kind: 'door_closed', compartment, presence: this.#presence.get(compartment) ?? false });
    }
    this.#o.onDoor(compartment, door);
  };

  readonly #onPresence = (compartment: number, presence: boolean): void => {
    this.#presence.set(compartment, presence);
    if (this.#o.offline?.ownsDoor(compartment)) return;
    // While the door is open its door_closed carries the final reading; the server would only drop this one.
    if (this.#openDoors.has(compartment)) return;
    this.#o.link.sendEvent({ kind: 'presence_changed', compartment, presence });
  };

  readonly #onBattery = (compartment: number, battery: number): void => {
    this.#o.link.sendEvent({ kind: 'battery', compartment, battery });
  };

  readonly #onChargeState = (compartment: number, state: ChargeState): void => {
    this.#o.link.sendEvent({ kind: 'charge_state', compartment, state });
  };

  #watchDoor(compartment: number): void {
    if (this.#openDoors.has(compartment)) return;
    const openedAt = Date.now();
    const timer = setTimeout(() => {
      this.#o.link.sendEvent({ kind: 'door_left_open', compartment, openForMs: Date.now() - openedAt });
    }, this.#o.doorLeftOpenMs);
    timer.unref();
    this.#openDoors.set(compartment, timer);
  }
}
