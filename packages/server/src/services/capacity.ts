import { capacityPlan, dailyPeakLoans, DomainError, rebalance, type Principal } from '@cubby/core';
import { capacityLoanSpans, loanerPoolsBySite, sitesInScope, type Executor } from '@cubby/db';
import type { CampusCapacity, CapacityQuery, CapacityReport } from '@cubby/protocol/api';

const day = 86_400_000;
/** The default history, and the longest one a request may ask for. */
const defaultDays = 90;
const maxDays = 400;

/**
 * The capacity plan of every campus the viewer sees (docs/analytics.md):
 * day loans sized from their daily peaks in the history, swap loaners from
 * the swap loans out on average (Little's law: failures × turnaround), and
 * for a district-wide viewer the moves of spares that bring every campus to
 * its plan, each move costing the same (a district's own costs per pair are
 * not configurable yet).
 */
export async function capacityReport(
  db: Executor,
  principal: Principal,
  query: CapacityQuery,
  now = Date.now(),
): Promise<CapacityReport> {
  const to = query.to ?? now;
  const from = query.from ?? to - defaultDays * day;
  if (from >= to) throw new DomainError('bad_request', '`from` must be before `to`');
  if (to - from > maxDays * day) throw new DomainError('bad_request', `The history can be at most ${maxDays} days`);
  const serviceLevel = (query.servicePercent ?? 99) / 100;
  const [sites, spans, pools] = await Promise.all([
    sitesInScope(db, principal.siteIds),
    capacityLoanSpans(db, { scope: principal.siteIds, from, to }),
    loanerPoolsBySite(db, principal.siteIds),
  ]);
  const campuses: CampusCapacity[] = sites.map((site) => {
    const mine = spans.filter((s) => s.siteId === site.id);
    const dayLoans = mine.filter((s) => !s.swap);
    const swaps = mine.filter((s) => s.swap);
    const peaks = dailyPeakLoans(dayLoans, { timeZone: site.timeZone, from, to });
    // Swap loans out on average over the window: the offered load of the repair model.
    const awayAtRepair =
      swaps.reduce((a, s) => a + Math.max(0, Math.min(s.end ?? to, to) - Math.max(s.start, from)), 0) / (to - from);
    const swapsStarted = swaps.filter((s) => s.start >= from).length;
    const failuresPerDay = peaks.length ? swapsStarted / peaks.length : 0;
    const plan = capacityPlan({
      serviceLevel,
      dailyPeaks: peaks.map((p) => p.peak),
      failuresPerDay,
      turnaroundDays: failuresPerDay > 0 ? awayAtRepair / failuresPerDay : 0,
      loaners: pools.get(site.id) ?? 0,
    });
    return {
      siteId: site.id,
      name: site.name,
      inputs: { schoolDays: peaks.length, dayLoans: dayLoans.length, swaps: swapsStarted, awayAtRepair },
      dayLoans: {
        meanPeak: plan.dayLoans.meanPeak,
        model: plan.dayLoans.model,
        sampleQuantile: plan.dayLoans.sampleQuantile,
        needed: plan.dayLoans.needed,
      },
      swapLoans: { needed: plan.swapLoans.needed, turnedAwayAtNeeded: plan.swapLoans.turnedAwayAtNeeded },
      current: plan.current,
      recommended: plan.recommended,
      surplus: plan.surplus,
      shortDayChance: plan.shortDayChance,
    };
  });
  return { generatedAt: now, from, to, serviceLevel, campuses, rebalancing: principal.siteIds === null ? moves(campuses) : null };
}

function moves(campuses: CampusCapacity[]): NonNullable<CapacityReport['rebalancing']> {
  const names = new Map(campuses.map((c) => [c.siteId, c.name]));
  const result = rebalance(
    campuses.map((c) => ({ campusId: c.siteId, surplus: c.surplus })),
    () => 1,
  );
  return {
    moves: result.moves.map((m) => ({
      fromSiteId: m.from,
      fromName: names.get(m.from)!,
      toSiteId: m.to,
      toName: names.get(m.to)!,
      loaners: m.loaners,
    })),
    unmet: result.unmet,
    unused: result.unused,
  };
}
