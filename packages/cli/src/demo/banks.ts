import { spawnSync } from 'node:child_process';
import { compartmentContents, type CubbyDb } from '@cubby/db';
import {
  openSerialSimBank,
  SimBank,
  type AutopilotBank,
  type Logger,
  type LockDriver,
  type SimCompartmentConfig,
} from '@cubby/station';

/** A demo station's locker bank: the driver the station runs on and the hands the autopilot plays with. */
export interface DemoBank {
  driver: LockDriver;
  hands: AutopilotBank;
  /** 'serial': the real Kerong driver on simulated boards over a pty pair; 'memory': the in-memory SimBank. */
  kind: 'serial' | 'memory';
  /** Closes what the station does not close itself (boards and socat); after the station. */
  close(): Promise<void>;
}

/** What the database says each door of the station holds. */
export async function compartmentsFromDatabase(cubby: CubbyDb, stationId: string): Promise<SimCompartmentConfig[]> {
  const rows = await compartmentContents(cubby.db, stationId);
  return rows.map((r) => ({
    number: r.number,
    hasCharger: r.has_charger === 1,
    ...(r.presence === 1 ? { device: { battery: r.battery_percent ?? 80 } } : {}),
  }));
}

/** Fails with what to install when socat is missing; `--serial-sim` cannot run without it. */
export function requireSocat(): void {
  const probe = spawnSync('socat', ['-V'], { stdio: 'ignore' });
  if (probe.error) {
    const missing = (probe.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? '--serial-sim needs socat to join the simulated lock board to the driver: apt-get install socat'
        : `--serial-sim could not run socat: ${probe.error.message}`,
    );
  }
}

/** A bank whose doors hold what the database says they hold, in memory or on the serial sim board. */
export async function demoBank(cubby: CubbyDb, stationId: string, serial: boolean, logger?: Logger): Promise<DemoBank> {
  const compartments = await compartmentsFromDatabase(cubby, stationId);
  if (!serial) {
    // Chargers wired to the supply, and a board that senses each port's charging current: the
    // devices charge along core's Chromebook curve and the server hears "charged" when one is full.
    const bank = new SimBank({ compartments, wiredChargers: true, sensing: 'current' });
    return { driver: bank, hands: bank, kind: 'memory', close: async () => undefined };
  }
  const sim = await openSerialSimBank(compartments, logger);
  return { driver: sim.driver, hands: sim.hands, kind: 'serial', close: () => sim.close() };
}
