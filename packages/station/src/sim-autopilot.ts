import type { StepPurpose } from '@cubby/core';
import type { UnlockedDoor } from './agent.js';
import type { DoorState } from './drivers/driver.js';
import type { SimDevice } from './drivers/sim.js';
import { TypedEmitter } from './typed-emitter.js';

/** Anything that announces doors the station has unlocked — in practice the StationAgent. */
export interface UnlockedDoorSource {
  on(event: 'unlocked', listener: (door: UnlockedDoor) => void): unknown;
  off(event: 'unlocked', listener: (door: UnlockedDoor) => void): unknown;
}

/** The hands of the person at a simulated bank: a SimBank, or the serial sim board's adapter. */
export interface AutopilotBank {
  door(compartment: number): DoorState;
  device(compartment: number): SimDevice | undefined;
  take(compartment: number): SimDevice | undefined;
  put(compartment: number, battery?: number): void;
  closeDoor(compartment: number): void;
}

export interface SimAutopilotOptions {
  /** How long the "student" takes at an open door before acting; 0 acts on the next tick. Default 1000. */
  actDelayMs?: number;
  /** Probability (0–1) of walking away from a loaner without taking it. Default 0. */
  leaveLoanerBehind?: number;
  /** Probability (0–1) of closing a return/deposit door with nothing inside. Default 0. */
  returnNothing?: number;
  /** Charge of the devices the "student" puts in. Default 35. */
  depositBattery?: number;
  /** Source of randomness in [0, 1); defaults to Math.random. */
  random?: () => number;
}

export type AutopilotAction =
  'took' | 'left_behind' | 'found_empty' | 'put' | 'put_nothing' | 'found_full' | 'closed' | 'door_was_closed';

export interface AutopilotMove {
  compartment: number;
  purpose: string | null;
  transactionId: string | null;
  action: AutopilotAction;
}

const takePurposes: ReadonlySet<string> = new Set<StepPurpose>(['take_loaner', 'collect_own', 'pickup_repaired']);
const putPurposes: ReadonlySet<string> = new Set<StepPurpose>([
  'return_loaner',
  'deposit_broken',
  'deposit_for_charge',
  'deposit_for_repair',
]);

/**
 * Plays the student at a simulated bank: at each door the agent unlocks it does
 * what the step asks (take or put a device), then closes the door. It can be told
 * to misbehave so that fault handling (loaner left behind, empty return) shows.
 */
export class SimAutopilot extends TypedEmitter<{ acted: [AutopilotMove] }> {
  readonly #source: UnlockedDoorSource;
  readonly #bank: AutopilotBank;
  readonly #actDelayMs: number;
  readonly #leaveLoanerBehind: number;
  readonly #returnNothing: number;
  readonly #depositBattery: number;
  readonly #random: () => number;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #onUnlocked = (door: UnlockedDoor): void => this.#schedule(door);

  constructor(source: UnlockedDoorSource, bank: AutopilotBank, options: SimAutopilotOptions = {}) {
    super();
    this.#source = source;
    this.#bank = bank;
    this.#actDelayMs = options.actDelayMs ?? 1000;
    this.#leaveLoanerBehind = options.leaveLoanerBehind ?? 0;
    this.#returnNothing = options.returnNothing ?? 0;
    this.#depositBattery = options.depositBattery ?? 35;
    this.#random = options.random ?? Math.random;
    source.on('unlocked', this.#onUnlocked);
  }

  /** Stops listening and forgets doors it has not acted on yet. */
  stop(): void {
    this.#source.off('unlocked', this.#onUnlocked);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  #schedule(door: UnlockedDoor): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.emit('acted', { ...pick(door), action: this.#act(door) });
    }, this.#actDelayMs);
    this.#timers.add(timer);
  }

  #act({ compartment, purpose }: UnlockedDoor): AutopilotAction {
    const bank = this.#bank;
    // Someone (or something) already shut it; there is nothing to do at a closed door.
    if (bank.door(compartment) === 'closed') return 'door_was_closed';
    let action: AutopilotAction = 'closed';
    if (purpose !== null && takePurposes.has(purpose)) {
      if (purpose === 'take_loaner' && this.#chance(this.#leaveLoanerBehind)) action = 'left_behind';
      else action = bank.take(compartment) ? 'took' : 'found_empty';
    } else if (purpose !== null && putPurposes.has(purpose)) {
      if (this.#chance(this.#returnNothing)) action = 'put_nothing';
      else if (bank.device(compartment)) action = 'found_full';
      else {
        bank.put(compartment, this.#depositBattery);
        action = 'put';
      }
    }
    bank.closeDoor(compartment);
    return action;
  }

  /** 0 never happens and 1 always does, so tests can be deterministic. */
  #chance(probability: number): boolean {
    return this.#random() < probability;
  }
}

function pick({ compartment, purpose, transactionId }: UnlockedDoor): Omit<AutopilotMove, 'action'> {
  return { compartment, purpose, transactionId };
}
