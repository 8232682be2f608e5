import {
  erlangB,
  fitCounts,
  poisson,
  quantile,
  sampleQuantile,
  serversForBlocking,
  sumOf,
  tailAbove,
  type CountDistribution,
} from './distributions.js';

/**
 * How many loaners a campus needs (issue 17, capacity plan): loaners out for
 * the day (forgot it, battery dead) sized from the history's daily peak
 * concurrent loans, plus loaners standing in for devices away at repair
 * sized with Erlang B from the repair model. Each part is sized to the
 * district's service level on its own and the two are added, which a school
 * board can follow line by line and errs on the side of enough.
 */
export interface CapacityInput {
  /** Share of requests to serve, strictly between 0 and 1 (the default is 0.99). */
  serviceLevel: number;
  /** Peak concurrent day loans on each school day of the history (0 on a day without any). */
  dailyPeaks: readonly number[];
  /** Devices that break (swaps, drop-offs, tickets by hand) per school day. */
  failuresPerDay: number;
  /** Mean school days a broken device is away, reported to back in circulation. */
  turnaroundDays: number;
  /** Loaners the campus holds today. */
  loaners: number;
}

export interface CapacityPlan {
  serviceLevel: number;
  dayLoans: {
    schoolDays: number;
    meanPeak: number;
    /** Poisson, or negative binomial when the peaks vary more than a Poisson's. */
    model: CountDistribution['kind'];
    /** The history's own quantile at the service level (nearest rank), for comparison. */
    sampleQuantile: number;
    needed: number;
  };
  swapLoans: {
    /** Devices away at repair on average: failures per day × turnaround days. */
    awayAtRepair: number;
    needed: number;
    /** Erlang B at `needed`: the share of swaps that would find no loaner. */
    turnedAwayAtNeeded: number;
  };
  current: number;
  recommended: number;
  /** current − recommended: a campus with spares is positive, one that is short negative. */
  surplus: number;
  /**
   * The chance, on a school day, that day loans plus devices at repair
   * outnumber the pool at the peak (someone would be turned away):
   * at today's size and at the recommended one.
   */
  shortDayChance: { current: number; recommended: number };
}

export function capacityPlan(input: CapacityInput): CapacityPlan {
  const { serviceLevel, dailyPeaks, failuresPerDay, turnaroundDays, loaners } = input;
  if (!(serviceLevel > 0 && serviceLevel < 1)) throw new RangeError('serviceLevel must be strictly between 0 and 1');
  if (!(failuresPerDay >= 0) || !(turnaroundDays >= 0) || !Number.isFinite(failuresPerDay * turnaroundDays))
    throw new RangeError('failuresPerDay and turnaroundDays must be finite numbers ≥ 0');
  if (!Number.isInteger(loaners) || loaners < 0) throw new RangeError('loaners must be a whole number ≥ 0');
  const day = fitCounts(dailyPeaks);
  const dayNeeded = quantile(day, serviceLevel);
  const awayAtRepair = failuresPerDay * turnaroundDays;
  const swapNeeded = awayAtRepair === 0 ? 0 : serversForBlocking(awayAtRepair, 1 - serviceLevel);
  const recommended = dayNeeded + swapNeeded;
  const both = sumOf(day, poisson(awayAtRepair));
  return {
    serviceLevel,
    dayLoans: {
      schoolDays: dailyPeaks.length,
      meanPeak: day.mean,
      model: day.kind,
      sampleQuantile: sampleQuantile(dailyPeaks, serviceLevel),
      needed: dayNeeded,
    },
    swapLoans: { awayAtRepair, needed: swapNeeded, turnedAwayAtNeeded: erlangB(swapNeeded, awayAtRepair) },
    current: loaners,
    recommended,
    surplus: loaners - recommended,
    shortDayChance: { current: tailAbove(both, loaners), recommended: tailAbove(both, recommended) },
  };
}
