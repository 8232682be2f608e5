import type { CompartmentReading } from '@cubby/protocol';
import { TypedEmitter } from '../typed-emitter.js';
import { chromebookChargeCurve, levelAfter, type ChargeCurve } from '@cubby/core';
import { LockFault, type ChargeState, type DoorState, type LockDriver, type LockDriverEvents } from './driver.js';

export type SimSensing = 'percent' | 'current' | 'none';

export interface SimDevice {
  battery: number;
}

export interface SimCompartmentConfig {
  number: number;
  hasCharger: boolean;
  device?: SimDevice;
}

export interface SimBankConfig {
  compartments: SimCompartmentConfig[];
  /** How long a lock takes to spring the door (a slow board); default 0. */
  unlockDelayMs?: number;
  /** How long unlock waits for the door to report open before a LockFault; default 1500. */
  openTimeoutMs?: number;
  /**
   * What the simulated board can tell about charge: `percent` (each device's level, as a board
   * with fuel-gauge ports or telemetry would; the default), `current` (per-port charging current:
   * "charging" / "charged", as a Modbus current board) or `none` (a lock-only board like Kerong's CU).
   */
  sensing?: SimSensing;
  /** Chargers wired to the supply, on from the start (a real bank's usual wiring); default false: off until set_charging. */
  wiredChargers?: boolean;
  /** How the devices charge; default core's Chromebook curve. */
  chargeCurve?: ChargeCurve;
  /** A constant percent per minute instead of the curve (for tests that need fast, predictable charging). */
  chargeRatePerMinute?: number;
  /** How often charging is advanced; default 1000. */
  chargeTickMs?: number;
}

interface SimCompartment {
  readonly number: number;
  readonly hasCharger: boolean;
  door: DoorState;
  jammed: boolean;
  charging: boolean;
  device: SimDevice | undefined;
  pulses: number;
}

/**
 * An in-memory locker bank for tests, the demo and benchmarks. Doors spring
 * open when unlocked and stay open until someone closes them; the "actor"
 * methods (take, put, closeDoor, forceOpen, jam) play the person at the bank.
 */
export class SimBank extends TypedEmitter<LockDriverEvents> implements LockDriver {
  readonly numbers: readonly number[];
  readonly #compartments = new Map<number, SimCompartment>();
  readonly #unlockDelayMs: number;
  readonly #openTimeoutMs: number;
  readonly #chargeRatePerMinute: number | undefined;
  readonly #chargeCurve: ChargeCurve;
  readonly #sensing: SimSensing;
  readonly #chargeTickMs: number;
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #pendingUnlocks = new Set<() => void>();
  #chargeTimer: NodeJS.Timeout | undefined;
  #lastChargeTick = 0;
  #closed = false;

  constructor(config: SimBankConfig) {
    super();
    for (const c of config.compartments) {
      if (this.#compartments.has(c.number)) throw new RangeError(`compartment ${c.number} is configured twice`);
      this.#compartments.set(c.number, {
        number: c.number,
        hasCharger: c.hasCharger,
        door: 'closed',
        jammed: false,
        charging: c.hasCharger && config.wiredChargers === true,
        device: c.device ? { battery: clampBattery(c.device.battery) } : undefined,
        pulses: 0,
      });
    }
    this.numbers = [...this.#compartments.keys()].sort((a, b) => a - b);
    this.#unlockDelayMs = config.unlockDelayMs ?? 0;
    this.#openTimeoutMs = config.openTimeoutMs ?? 1500;
    this.#chargeRatePerMinute = config.chargeRatePerMinute;
    this.#chargeCurve = config.chargeCurve ?? chromebookChargeCurve;
    this.#sensing = config.sensing ?? 'percent';
    this.#chargeTickMs = config.chargeTickMs ?? 1000;
    this.#scheduleCharging();
  }

  /** What this board can tell about charge (see {@link SimBankConfig.sensing}). */
  get sensing(): SimSensing {
    return this.#sensing;
  }

  unlock(number: number, _pulseMs: number): Promise<void> {
    const c = this.#compartments.get(number);
    if (!c) return Promise.reject(new LockFault(number, 'no such compartment on this bank'));
    if (this.#closed) return Promise.reject(new LockFault(number, 'the lock board is closed'));
    c.pulses += 1;
    if (c.door === 'open') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onDoor = (n: number, state: DoorState): void => {
        if (n === number && state === 'open') finish();
      };
      const finish = (fault?: LockFault): void => {
        this.#cancel(release);
        this.#cancel(timeout);
        this.off('door', onDoor);
        this.#pendingUnlocks.delete(abort);
        if (fault) reject(fault);
        else resolve();
      };
      const abort = (): void => finish(new LockFault(number, 'the lock board closed before the door opened'));
      // The release is scheduled first so that a delay equal to the timeout still opens.
      const release = this.#after(this.#unlockDelayMs, () => {
        if (!c.jammed) this.#setDoor(c, 'open');
      });
      const timeout = this.#after(this.#openTimeoutMs, () =>
        finish(new LockFault(number, `door did not open within ${this.#openTimeoutMs} ms`)),
      );
      this.on('door', onDoor);
      this.#pendingUnlocks.add(abort);
    });
  }

  async readings(): Promise<CompartmentReading[]> {
    return this.numbers.map((n) => {
      const c = this.#get(n);
      const reading: CompartmentReading = { number: n, door: c.door, presence: c.device !== undefined, charging: c.charging };
      if (c.device && this.#sensing === 'percent') reading.battery = Math.floor(c.device.battery);
      const state = this.#portState(c);
      if (state) reading.chargeState = state;
      return reading;
    });
  }

  /** A compartment without a charger ignores "on": its reading stays `charging: false`. */
  async setCharging(number: number, on: boolean): Promise<void> {
    const c = this.#get(number);
    this.#advanceCharging();
    const before = this.#portState(c);
    c.charging = on && c.hasCharger;
    this.#reportPort(c, before);
    this.#scheduleCharging();
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const abort of [...this.#pendingUnlocks]) abort();
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    if (this.#chargeTimer) clearInterval(this.#chargeTimer);
    this.#chargeTimer = undefined;
  }

  // ---- the person at the bank ----

  /** Takes the device out of an open compartment; returns it, or undefined when it was empty. */
  take(number: number): SimDevice | undefined {
    const c = this.#openCompartment(number, 'take a device from');
    const device = c.device;
    if (!device) return undefined;
    c.device = undefined;
    this.emit('presence', number, false);
    return { battery: Math.floor(device.battery) };
  }

  /** Puts a device into an open, empty compartment. */
  put(number: number, battery = 50): void {
    const c = this.#openCompartment(number, 'put a device into');
    if (c.device) throw new Error(`compartment ${number} already holds a device`);
    c.device = { battery: clampBattery(battery) };
    this.emit('presence', number, true);
    this.#reportPort(c, undefined);
  }

  closeDoor(number: number): void {
    this.#setDoor(this.#get(number), 'closed');
  }

  /** Opens a door without the lock (a technician's key, a prying student); jams do not stop it. */
  forceOpen(number: number): void {
    this.#setDoor(this.#get(number), 'open');
  }

  jam(number: number): void {
    this.#get(number).jammed = true;
  }

  unjam(number: number): void {
    this.#get(number).jammed = false;
  }

  device(number: number): SimDevice | undefined {
    const device = this.#get(number).device;
    return device ? { battery: Math.floor(device.battery) } : undefined;
  }

  door(number: number): DoorState {
    return this.#get(number).door;
  }

  /** How many times the lock of this compartment has been pulsed. */
  pulseCount(number: number): number {
    return this.#get(number).pulses;
  }

  // ---- internals ----

  #get(number: number): SimCompartment {
    const c = this.#compartments.get(number);
    if (!c) throw new RangeError(`compartment ${number} is not on this bank`);
    return c;
  }

  #openCompartment(number: number, what: string): SimCompartment {
    const c = this.#get(number);
    if (c.door !== 'open') throw new Error(`cannot ${what} compartment ${number}: its door is closed`);
    return c;
  }

  #setDoor(c: SimCompartment, state: DoorState): void {
    if (c.door === state) return;
    c.door = state;
    this.emit('door', c.number, state);
  }

  #after(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      run();
    }, ms);
    this.#timers.add(timer);
    return timer;
  }

  #cancel(timer: NodeJS.Timeout): void {
    clearTimeout(timer);
    this.#timers.delete(timer);
  }

  #scheduleCharging(): void {
    const anyCharging = [...this.#compartments.values()].some((c) => c.charging);
    if (anyCharging && !this.#chargeTimer && !this.#closed) {
      this.#lastChargeTick = performance.now();
      this.#chargeTimer = setInterval(() => this.#advanceCharging(), this.#chargeTickMs);
      // Charging alone must not keep a process (or a test run) alive.
      this.#chargeTimer.unref();
    } else if (!anyCharging && this.#chargeTimer) {
      clearInterval(this.#chargeTimer);
      this.#chargeTimer = undefined;
    }
  }

  #advanceCharging(): void {
    if (!this.#chargeTimer) return;
    const now = performance.now();
    const minutes = (now - this.#lastChargeTick) / 60_000;
    this.#lastChargeTick = now;
    for (const c of this.#compartments.values()) {
      if (!c.charging || !c.device || c.device.battery >= 100) continue;
      const port = this.#portState(c);
      const before = Math.floor(c.device.battery);
      c.device.battery =
        this.#chargeRatePerMinute === undefined
          ? // Rounded so a thousand small steps add up to what one long one gives (floating point).
            Math.round(levelAfter(this.#chargeCurve, c.device.battery, minutes) * 1e6) / 1e6
          : Math.min(100, c.device.battery + this.#chargeRatePerMinute * minutes);
      const after = Math.floor(c.device.battery);
      if (after !== before && this.#sensing === 'percent') this.emit('battery', c.number, after);
      this.#reportPort(c, port);
    }
  }

  /** A current board's view of a port: current flows into a device below full on a live charger. */
  #portState(c: SimCompartment): ChargeState | undefined {
    if (this.#sensing !== 'current' || !c.charging || !c.device) return undefined;
    return c.device.battery >= 100 ? 'charged' : 'charging';
  }

  #reportPort(c: SimCompartment, before: ChargeState | undefined): void {
    const after = this.#portState(c);
    if (after && after !== before) this.emit('charge_state', c.number, after);
  }
}

function clampBattery(percent: number): number {
  return Math.max(0, Math.min(100, percent));
}
