/**
 * Which loaner a station hands out. Only loaners charged above the policy
 * floor qualify; among them the fullest go first, but devices within the same
 * 10 % band are ranked by how often they have been lent, so wear spreads
 * across the pool instead of cycling the same few units.
 */
export interface LoanerCandidate {
  deviceId: string;
  compartmentNumber: number;
  batteryPercent: number;
  loanCount: number;
  lastLoanedAt: number | null;
}

/** The charge floor: a loaner below the policy's minimum is never handed out, online or offline. */
export function isLendable(batteryPercent: number, minChargePercent: number): boolean {
  return batteryPercent >= minChargePercent;
}

export function rankLoaners<T extends LoanerCandidate>(candidates: readonly T[], minChargePercent: number): T[] {
  return candidates
    .filter((c) => isLendable(c.batteryPercent, minChargePercent))
    .sort(
      (a, b) =>
        chargeBand(b.batteryPercent) - chargeBand(a.batteryPercent) ||
        a.loanCount - b.loanCount ||
        (a.lastLoanedAt ?? 0) - (b.lastLoanedAt ?? 0) ||
        b.batteryPercent - a.batteryPercent ||
        a.compartmentNumber - b.compartmentNumber,
    );
}

function chargeBand(percent: number): number {
  return Math.min(9, Math.floor(percent / 10));
}
