import { DomainError } from '../errors.js';

/**
 * A device's battery as Chrome telemetry reports it (docs/google.md): status
 * reports with samples of the remaining capacity, the full-charge capacity
 * and cycle count, and the battery's design capacity. Capacities are mAh.
 */
export interface BatteryReport {
  /** Samples, any order: when each was taken and the capacity left then. */
  samples: { at: number; remainingCapacity: number }[];
  fullChargeCapacity: number | null;
  designCapacity: number | null;
  cycleCount: number | null;
  /** Google's word: BATTERY_HEALTH_NORMAL, BATTERY_REPLACE_SOON, BATTERY_REPLACE_NOW, … */
  health: string | null;
}

/**
 * The charge the latest sample shows, with the sample's time: a reading as
 * old as the device's last upload (every ~3 h by default), never "now".
 * Null without a usable sample or a full-charge capacity.
 */
export function latestBatteryReading(report: BatteryReport): { percent: number; at: number } | null {
  const full = report.fullChargeCapacity;
  if (!full || full <= 0) return null;
  let latest: { at: number; remainingCapacity: number } | null = null;
  for (const s of report.samples) {
    if (
      Number.isFinite(s.at) &&
      Number.isFinite(s.remainingCapacity) &&
      s.remainingCapacity >= 0 &&
      (!latest || s.at > latest.at)
    )
      latest = s;
  }
  if (!latest) return null;
  return { percent: Math.min(100, Math.floor((latest.remainingCapacity / full) * 100)), at: latest.at };
}

/**
 * When a battery no longer lasts a school day. A new Chromebook battery is
 * rated for about `ratedHours` of school use; what is left of it scales with
 * the full-charge capacity against the design capacity. Below the hours of a
 * school day (plus nothing to spare), the loaner goes flat before the last
 * bell. Google's own "replace now" and a cycle count past the battery's
 * rated cycles also count.
 */
export interface BatteryWearSettings {
  /** Hours a loaner must last: the school day. */
  schoolDayHours: number;
  /** Hours of school use a new battery gives (the model's rating; Chromebooks: about 10). */
  ratedHours: number;
  /** Charge cycles after which a battery is worn whatever its capacity says. */
  maxCycleCount: number;
}

export const defaultBatteryWearSettings: BatteryWearSettings = { schoolDayHours: 7, ratedHours: 10, maxCycleCount: 1000 };

export type BatteryWear = { worn: boolean; reason: 'capacity' | 'replace_now' | 'cycles' | null; hoursLeft: number | null };

export function batteryWear(report: BatteryReport, settings: BatteryWearSettings = defaultBatteryWearSettings): BatteryWear {
  const full = report.fullChargeCapacity;
  const design = report.designCapacity;
  const hoursLeft = full && design && full > 0 && design > 0 ? Math.min(1, full / design) * settings.ratedHours : null;
  if (hoursLeft !== null && hoursLeft < settings.schoolDayHours) return { worn: true, reason: 'capacity', hoursLeft };
  if (report.health === 'BATTERY_REPLACE_NOW') return { worn: true, reason: 'replace_now', hoursLeft };
  if (report.cycleCount !== null && report.cycleCount > settings.maxCycleCount)
    return { worn: true, reason: 'cycles', hoursLeft };
  return { worn: false, reason: null, hoursLeft };
}

export function parseBatteryWearSettings(input: Partial<BatteryWearSettings> | undefined): BatteryWearSettings {
  const s = { ...defaultBatteryWearSettings, ...(input ?? {}) };
  if (!(s.schoolDayHours > 0 && s.schoolDayHours <= 24))
    throw new DomainError('bad_request', 'schoolDayHours must be from 0 to 24');
  if (!(s.ratedHours > 0 && s.ratedHours <= 48)) throw new DomainError('bad_request', 'ratedHours must be from 0 to 48');
  if (!(Number.isInteger(s.maxCycleCount) && s.maxCycleCount > 0))
    throw new DomainError('bad_request', 'maxCycleCount must be a positive integer');
  return s;
}
