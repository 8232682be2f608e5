import { DomainError } from '../errors.js';

/**
 * How a device model charges on a locker's charger: a fast phase up to
 * `fastUntilPercent`, then a slower top-up (lithium cells switch from
 * constant current to constant voltage near full). Piecewise linear, so the
 * time to any level and the level after any time are exact inverses.
 */
export interface ChargeCurve {
  /** Where the fast phase ends, in percent. */
  fastUntilPercent: number;
  /** Minutes from empty to `fastUntilPercent`. */
  fastMinutes: number;
  /** Minutes from `fastUntilPercent` to full. */
  slowMinutes: number;
}

/** A typical Chromebook on its 45 W charger: about 80 % in 90 minutes, full an hour later. */
export const chromebookChargeCurve: ChargeCurve = { fastUntilPercent: 80, fastMinutes: 90, slowMinutes: 60 };

/** Minutes of charging the curve takes from empty to `percent` (0–100). */
export function minutesToReach(curve: ChargeCurve, percent: number): number {
  const p = clampPercent(percent);
  if (p <= curve.fastUntilPercent) return (p / curve.fastUntilPercent) * curve.fastMinutes;
  return curve.fastMinutes + ((p - curve.fastUntilPercent) / (100 - curve.fastUntilPercent)) * curve.slowMinutes;
}

/** The level (0–100, fractional) after `minutes` on the charger, starting from `fromPercent`. */
export function levelAfter(curve: ChargeCurve, fromPercent: number, minutes: number): number {
  const t = minutesToReach(curve, fromPercent) + Math.max(0, minutes);
  if (t <= curve.fastMinutes) return Math.max(clampPercent(fromPercent), (t / curve.fastMinutes) * curve.fastUntilPercent);
  const slow = (t - curve.fastMinutes) / curve.slowMinutes;
  return Math.min(100, curve.fastUntilPercent + slow * (100 - curve.fastUntilPercent));
}

export function clampPercent(percent: number): number {
  return Math.max(0, Math.min(100, Number.isFinite(percent) ? percent : 0));
}

export function parseChargeCurve(input: Partial<ChargeCurve> | undefined, where: string): ChargeCurve {
  const curve = { ...chromebookChargeCurve, ...(input ?? {}) };
  if (!(curve.fastUntilPercent > 0 && curve.fastUntilPercent < 100)) {
    throw new DomainError('bad_request', `${where}: fastUntilPercent must be between 0 and 100`);
  }
  if (!(curve.fastMinutes > 0 && curve.fastMinutes <= 24 * 60 && curve.slowMinutes > 0 && curve.slowMinutes <= 24 * 60)) {
    throw new DomainError('bad_request', `${where}: fastMinutes and slowMinutes must be between 1 minute and a day`);
  }
  return curve;
}
