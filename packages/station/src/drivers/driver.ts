import type { CompartmentReading } from '@cubby/protocol';
import type { TypedEmitter } from '../typed-emitter.js';

export type DoorState = 'open' | 'closed';

/** What every lock board reports as it happens. */
export type LockDriverEvents = {
  door: [compartment: number, state: DoorState];
  presence: [compartment: number, present: boolean];
  /** Whole-percent charge of the device inside, from a board that measures it. */
  battery: [compartment: number, percent: number];
  /**
   * From a board that senses each port's charging current (a Modbus current board):
   * "charging" while current flows, "charged" once it drops below the board's threshold.
   */
  charge_state: [compartment: number, state: ChargeState];
};

export type ChargeState = 'charging' | 'charged';

/**
 * One bank of compartments behind one lock board (or a simulation of one).
 * Drivers know nothing about loans or people: they open doors and report sensors.
 */
export interface LockDriver extends Pick<TypedEmitter<LockDriverEvents>, 'on' | 'once' | 'off'> {
  /** Compartment numbers on this bank, as printed on the doors. */
  readonly numbers: readonly number[];
  /**
   * Pulses the lock and resolves once the door reports open. Rejects with
   * {@link LockFault} when the door has not opened within the driver's timeout.
   */
  unlock(compartment: number, pulseMs: number): Promise<void>;
  readings(): Promise<CompartmentReading[]>;
  setCharging(compartment: number, on: boolean): Promise<void>;
  close(): Promise<void>;
}

/** A door that would not open (jammed lock, dead board, unknown compartment). */
export class LockFault extends Error {
  readonly compartment: number;
  readonly detail: string;

  /** `options.cause` keeps the underlying error (e.g. the board that did not answer). */
  constructor(compartment: number, detail: string, options?: ErrorOptions) {
    super(`compartment ${compartment}: ${detail}`, options);
    this.name = 'LockFault';
    this.compartment = compartment;
    this.detail = detail;
  }
}

export function isLockFault(value: unknown): value is LockFault {
  return value instanceof LockFault;
}
