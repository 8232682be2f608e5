import { DomainError } from '../errors.js';
import {
  chromebookChargeCurve,
  clampPercent,
  levelAfter,
  minutesToReach,
  parseChargeCurve,
  type ChargeCurve,
} from './charge-curve.js';

/**
 * A loaner's charge as well as Cubby can know it. Most lock boards see only
 * doors and presence, so the level is usually an estimate: the last level
 * someone measured (a board, telemetry, the device at its return), or a
 * conservative default, carried forward along the model's charge curve for
 * the time the device has sat on a powered charger. Discharge while on loan
 * is not guessed. A board that senses charging current overrides the estimate
 * once the current drops ("charged").
 */
export interface ChargeSettings {
  /** The level assumed for a device nobody has measured recently (conservative). */
  defaultPercent: number;
  /** A measured level older than this, with no charger since, is no longer trusted. */
  reportedStaleMinutes: number;
  /** Charge curves by device model; others use `defaultCurve`. */
  curves: Record<string, ChargeCurve>;
  defaultCurve: ChargeCurve;
}

export const defaultChargeSettings: ChargeSettings = {
  defaultPercent: 20,
  reportedStaleMinutes: 4 * 60,
  curves: {},
  defaultCurve: chromebookChargeCurve,
};

/** What the station and server know about one device's charge. */
export interface ChargeFacts {
  model?: string | null;
  /** The last measured level and when it was measured. */
  reported?: { percent: number; at: number } | null;
  /** Since when the device has been on a powered charger; null when it is not on one now. */
  poweredSince?: number | null;
  /** A current-sensing board's latest word on this port, since the device has been on it. */
  sensed?: { state: 'charging' | 'charged'; at: number } | null;
}

export const chargeSources = ['reported', 'estimated'] as const;
export type ChargeSource = (typeof chargeSources)[number];

/** A whole-percent level and where it came from; a reported one says how old it is. */
export type ChargeReading = { percent: number; source: 'reported'; ageMs: number } | { percent: number; source: 'estimated' };

const minute = 60_000;

export function curveFor(settings: ChargeSettings, model: string | null | undefined): ChargeCurve {
  return (model ? settings.curves[model] : undefined) ?? settings.defaultCurve;
}

/**
 * Where the estimate starts: the measured level while it can be trusted, else
 * the default. A reading is judged by its age when charging began (a battery on
 * a charger does not drain), or by its age now when the device is not on one.
 */
function startingPoint(facts: ChargeFacts, now: number, settings: ChargeSettings) {
  const r = facts.reported;
  const powered = facts.poweredSince ?? null;
  const staleMs = settings.reportedStaleMinutes * minute;
  if (r) {
    const judgedAt = powered === null ? now : Math.max(r.at, powered);
    if (judgedAt - r.at <= staleMs) return { percent: clampPercent(r.percent), at: r.at, reported: true };
  }
  return { percent: settings.defaultPercent, at: powered ?? now, reported: false };
}

/** The best reading of a device's charge at `now`. Never above 100; never falls while it stays on a charger. */
export function estimateCharge(facts: ChargeFacts, now: number, settings: ChargeSettings = defaultChargeSettings): ChargeReading {
  const powered = facts.poweredSince ?? null;
  const sensed = powered !== null && facts.sensed && facts.sensed.at >= powered ? facts.sensed : null;
  if (sensed?.state === 'charged') return { percent: 100, source: 'reported', ageMs: Math.max(0, now - sensed.at) };
  const start = startingPoint(facts, now, settings);
  const chargingFrom = powered === null ? now : Math.max(start.at, powered);
  const minutes = Math.max(0, now - chargingFrom) / minute;
  // Whole percent, rounded down, but not below a level the curve reaches only up to floating-point error
  // (70 × 80.57…/120 is 46.999…, not 47): lendableAt inverts the same curve and must agree with it.
  let percent = Math.floor(levelAfter(curveFor(settings, facts.model), start.percent, minutes) + 1e-9);
  // Current still flowing: not full yet, whatever the curve says.
  if (sensed?.state === 'charging') percent = Math.min(99, percent);
  if (start.reported && percent === Math.floor(start.percent)) {
    return { percent, source: 'reported', ageMs: Math.max(0, now - start.at) };
  }
  return { percent, source: 'estimated' };
}

/**
 * When the device's charge reaches `floorPercent` on its charger: `now` when it
 * already has, null when it is not on a powered charger (it will not get there
 * by itself). Read from the same curve as {@link estimateCharge}.
 */
export function lendableAt(
  facts: ChargeFacts,
  now: number,
  floorPercent: number,
  settings: ChargeSettings = defaultChargeSettings,
): number | null {
  if (estimateCharge(facts, now, settings).percent >= floorPercent) return now;
  const powered = facts.poweredSince ?? null;
  if (powered === null) return null;
  const start = startingPoint(facts, now, settings);
  const curve = curveFor(settings, facts.model);
  const minutes = minutesToReach(curve, floorPercent) - minutesToReach(curve, start.percent);
  return Math.max(now, Math.max(start.at, powered) + Math.ceil(Math.max(0, minutes) * minute));
}

export function parseChargeSettings(input: Partial<ChargeSettings> | undefined): ChargeSettings {
  const s = { ...defaultChargeSettings, ...(input ?? {}) };
  if (!(s.defaultPercent >= 0 && s.defaultPercent <= 100)) {
    throw new DomainError('bad_request', 'defaultPercent must be from 0 to 100');
  }
  if (!(s.reportedStaleMinutes > 0 && s.reportedStaleMinutes <= 7 * 24 * 60)) {
    throw new DomainError('bad_request', 'reportedStaleMinutes must be between 1 minute and 7 days');
  }
  const curves = Object.fromEntries(
    Object.entries(s.curves ?? {}).map(([model, c]) => [model, parseChargeCurve(c, `the ${model} curve`)]),
  );
  return { ...s, curves, defaultCurve: parseChargeCurve(s.defaultCurve, 'the default curve') };
}

/** Loaners with their charge facts, as `rankLoaners` weighs them: each with its best reading's percent. */
export function withEstimatedCharge<T extends { charge: ChargeFacts }>(
  loaners: readonly T[],
  now: number,
  settings: ChargeSettings = defaultChargeSettings,
): (T & { batteryPercent: number })[] {
  return loaners.map((l) => ({ ...l, batteryPercent: estimateCharge(l.charge, now, settings).percent }));
}
