import { estimateCharge, isLendable, lendableAt, type ChargeFacts, type ChargeSettings } from '@cubby/core';

/**
 * The dashboard's view of a station's ready loaners: how many the kiosk would
 * lend now (core's floor on the best reading, the same rule as the kiosk) and,
 * for the rest, when the first reaches the floor on its charger.
 */
export interface Readiness {
  lendable: number;
  charging: number;
  nextLendableAt: number | null;
}

export function noReadiness(): Readiness {
  return { lendable: 0, charging: 0, nextLendableAt: null };
}

export function addReadiness(into: Readiness, from: Readiness): Readiness {
  into.lendable += from.lendable;
  into.charging += from.charging;
  into.nextLendableAt = earliest(into.nextLendableAt, from.nextLendableAt);
  return into;
}

export function readinessByStation(
  loaners: readonly { stationId: string; charge: ChargeFacts }[],
  now: number,
  floorPercent: number,
  settings: ChargeSettings,
): Map<string, Readiness> {
  const out = new Map<string, Readiness>();
  for (const l of loaners) {
    let r = out.get(l.stationId);
    if (!r) out.set(l.stationId, (r = noReadiness()));
    if (isLendable(estimateCharge(l.charge, now, settings).percent, floorPercent)) {
      r.lendable += 1;
      continue;
    }
    r.charging += 1;
    r.nextLendableAt = earliest(r.nextLendableAt, lendableAt(l.charge, now, floorPercent, settings));
  }
  return out;
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
