import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handOpenedRepairStates, warrantyState } from './repair-ticket.js';
import {
  endToEndDuration,
  spread,
  stateDurations,
  turnaround,
  turnaroundBy,
  turnaroundStates,
  type RepairEntered,
} from './turnaround.js';

const h = 3_600_000;

describe('spread', () => {
  it('is empty for no durations', () => {
    expect(spread([])).toEqual({ count: 0, medianMs: null, p90Ms: null });
  });

  it('takes the middle (the mean of the middle two) and the nearest-rank 90th percentile', () => {
    expect(spread([5])).toEqual({ count: 1, medianMs: 5, p90Ms: 5 });
    expect(spread([30, 10, 20])).toEqual({ count: 3, medianMs: 20, p90Ms: 30 });
    expect(spread([4, 1, 2, 3])).toEqual({ count: 4, medianMs: 3, p90Ms: 4 });
    expect(spread([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ count: 10, medianMs: 6, p90Ms: 9 });
    expect(spread(Array.from({ length: 20 }, (_, i) => i + 1)).p90Ms).toBe(18);
  });

  const durations = fc.array(fc.integer({ min: 0, max: 10 ** 12 }), { minLength: 1, maxLength: 60 });

  it('min ≤ median ≤ p90 ≤ max, and p90 is one of the durations', () => {
    fc.assert(
      fc.property(durations, (ds) => {
        const s = spread(ds);
        expect(s.count).toBe(ds.length);
        expect(s.medianMs!).toBeGreaterThanOrEqual(Math.min(...ds));
        expect(s.medianMs!).toBeLessThanOrEqual(s.p90Ms!);
        expect(s.p90Ms!).toBeLessThanOrEqual(Math.max(...ds));
        expect(ds).toContain(s.p90Ms);
      }),
    );
  });

  it('does not depend on the order of the durations, and leaves its input alone', () => {
    fc.assert(
      fc.property(durations, fc.integer(), (ds, seed) => {
        const copy = [...ds];
        const shuffled = [...ds].sort((a, b) => ((a * 31 + seed) % 7) - ((b * 31 + seed) % 7));
        expect(spread(shuffled)).toEqual(spread(ds));
        expect(ds).toEqual(copy);
      }),
    );
  });

  it('at least 90% of the durations are at most the p90, and at least half at most the median (rounded up)', () => {
    fc.assert(
      fc.property(durations, (ds) => {
        const s = spread(ds);
        expect(ds.filter((d) => d <= s.p90Ms!).length).toBeGreaterThanOrEqual(Math.ceil(0.9 * ds.length));
        expect(ds.filter((d) => d <= Math.ceil(s.medianMs!)).length * 2).toBeGreaterThanOrEqual(ds.length);
      }),
    );
  });
});

describe('state durations', () => {
  const full: RepairEntered = {
    reported: 0,
    awaiting_collection: 0,
    collected: 2 * h,
    in_repair: 3 * h,
    repaired: 10 * h,
    ready_for_pickup: 11 * h,
    closed: 35 * h,
  };

  it('a ticket that went the whole road has a time in each state and end to end', () => {
    expect(stateDurations(full)).toEqual([
      { status: 'reported', ms: 0 },
      { status: 'awaiting_collection', ms: 2 * h },
      { status: 'collected', ms: h },
      { status: 'in_repair', ms: 7 * h },
      { status: 'repaired', ms: h },
      { status: 'ready_for_pickup', ms: 24 * h },
    ]);
    expect(endToEndDuration(full)).toBe(35 * h);
  });

  it('the state a ticket is in now counts nothing yet; an open ticket has no end-to-end time', () => {
    const open = { reported: 0, awaiting_collection: 0, collected: 2 * h, in_repair: 3 * h };
    expect(stateDurations(open).map((d) => d.status)).toEqual(['reported', 'awaiting_collection', 'collected']);
    expect(endToEndDuration(open)).toBeNull();
  });

  it('a ticket opened by hand skips the locker: its reported state counts nothing', () => {
    const entered = Object.fromEntries(handOpenedRepairStates.map((s) => [s, 0])) as RepairEntered;
    entered.in_repair = 4 * h;
    expect(stateDurations(entered)).toEqual([{ status: 'collected', ms: 4 * h }]);
  });

  it('a retired ticket counts its last state up to retirement, and no end-to-end time', () => {
    const retired = { reported: 0, awaiting_collection: h, collected: 3 * h, retired: 8 * h };
    expect(stateDurations(retired)).toEqual([
      { status: 'reported', ms: h },
      { status: 'awaiting_collection', ms: 2 * h },
      { status: 'collected', ms: 5 * h },
    ]);
    expect(endToEndDuration(retired)).toBeNull();
  });

  it('a span that runs backwards (clocks that disagreed) counts nothing', () => {
    expect(stateDurations({ reported: 5 * h, awaiting_collection: 4 * h })).toEqual([]);
  });
});

/** A ticket walked along the road with random gaps, stopping anywhere, retired or not. */
const aTicket = fc
  .record({
    start: fc.integer({ min: 0, max: 10 ** 12 }),
    gaps: fc.array(fc.integer({ min: 0, max: 30 * 24 * h }), { minLength: 6, maxLength: 6 }),
    reached: fc.integer({ min: 0, max: 6 }),
    retiredAfter: fc.option(fc.integer({ min: 0, max: 30 * 24 * h })),
    site: fc.constantFrom('north', 'south', null),
    model: fc.constantFrom('Acer 311', 'Lenovo 100e'),
  })
  .map(({ start, gaps, reached, retiredAfter, site, model }) => {
    const road = [...turnaroundStates, 'closed' as const];
    const entered: RepairEntered = {};
    let t = start;
    for (let i = 0; i <= reached; i++) {
      if (i > 0) t += gaps[i - 1]!;
      entered[road[i]!] = t;
    }
    if (retiredAfter !== null && reached < 6) entered.retired = t + retiredAfter;
    return { entered, site, model, reached, total: t - start };
  });

describe('turnaround', () => {
  it('has one entry per state a ticket leaves, in road order, and nothing for no tickets', () => {
    const empty = turnaround([]);
    expect(empty.states.map((s) => s.status)).toEqual([
      'reported',
      'awaiting_collection',
      'collected',
      'in_repair',
      'repaired',
      'ready_for_pickup',
    ]);
    expect(empty.states.every((s) => s.count === 0 && s.medianMs === null)).toBe(true);
    expect(empty.endToEnd).toEqual({ count: 0, medianMs: null, p90Ms: null });
  });

  it('counts each closed ticket end to end, and each state as often as tickets left it', () => {
    fc.assert(
      fc.property(fc.array(aTicket, { maxLength: 40 }), (tickets) => {
        const t = turnaround(tickets);
        expect(t.endToEnd.count).toBe(tickets.filter((x) => x.reached === 6).length);
        for (const [i, s] of t.states.entries()) {
          const left = tickets.filter((x) => x.reached > i || (x.reached === i && x.entered.retired !== undefined));
          expect(s.count, s.status).toBe(left.length);
          if (s.count > 0) expect(s.medianMs!).toBeLessThanOrEqual(s.p90Ms!);
        }
        // End to end never exceeds the longest closed ticket's total time.
        const closed = tickets.filter((x) => x.reached === 6);
        if (closed.length) expect(t.endToEnd.p90Ms!).toBeLessThanOrEqual(Math.max(...closed.map((x) => x.total)));
      }),
    );
  });

  it('per group: every ticket with a key in exactly one group, and each group as its own turnaround', () => {
    fc.assert(
      fc.property(fc.array(aTicket, { maxLength: 40 }), (tickets) => {
        const groups = turnaroundBy(tickets, (x) => x.site);
        expect(groups.map((g) => g.key)).toEqual([...new Set(tickets.flatMap((x) => (x.site ? [x.site] : [])))].sort());
        for (const g of groups) expect(g.turnaround).toEqual(turnaround(tickets.filter((x) => x.site === g.key)));
        const total = groups.reduce((n, g) => n + g.turnaround.endToEnd.count, 0);
        expect(total).toBe(tickets.filter((x) => x.site !== null && x.reached === 6).length);
      }),
    );
  });
});

describe('warranty', () => {
  it('is in until its end, out after, unknown without an end', () => {
    expect(warrantyState(1000, 999)).toBe('in');
    expect(warrantyState(1000, 1000)).toBe('in');
    expect(warrantyState(1000, 1001)).toBe('out');
    expect(warrantyState(null, 1000)).toBe('unknown');
  });
});
