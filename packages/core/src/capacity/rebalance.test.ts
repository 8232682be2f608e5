import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equalTo, lessEq, solve, type Coefficients, type Constraint } from 'yalps';
import { rebalance, type CampusBalance } from './rebalance.js';

const uniform = () => 1;

/** The same transportation problem as a linear program for yalps (MIT, dev only): the optimum to compare with. */
function lpOptimum(campuses: CampusBalance[], cost: (a: string, b: string) => number): number {
  const givers = campuses.filter((c) => c.surplus > 0);
  const takers = campuses.filter((c) => c.surplus < 0);
  const supply = givers.reduce((a, g) => a + g.surplus, 0);
  const demand = takers.reduce((a, t) => a - t.surplus, 0);
  if (supply === 0 || demand === 0) return 0;
  const constraints: Record<string, Constraint> = { moved: equalTo(Math.min(supply, demand)) };
  const variables: Record<string, Coefficients> = {};
  for (const g of givers) constraints[`out ${g.campusId}`] = lessEq(g.surplus);
  for (const t of takers) constraints[`in ${t.campusId}`] = lessEq(-t.surplus);
  for (const g of givers)
    for (const t of takers)
      variables[`${g.campusId}>${t.campusId}`] = {
        cost: cost(g.campusId, t.campusId),
        moved: 1,
        [`out ${g.campusId}`]: 1,
        [`in ${t.campusId}`]: 1,
      };
  const solution = solve({ direction: 'minimize', objective: 'cost', constraints, variables });
  if (solution.status !== 'optimal') throw new Error(`the LP is ${solution.status}`);
  return solution.result;
}

describe('rebalance', () => {
  it('moves spares from the campuses that have them to the ones short, fewest trips first', () => {
    const result = rebalance(
      [
        { campusId: 'cedar', surplus: 3 },
        { campusId: 'birch', surplus: -3 },
        { campusId: 'maple', surplus: 0 },
      ],
      uniform,
    );
    expect(result.moves).toEqual([{ from: 'cedar', to: 'birch', loaners: 3 }]);
    expect(result).toMatchObject({ cost: 3, unmet: 0, unused: 0 });
  });

  it('takes from the nearest campus with spares', () => {
    const distance: Record<string, number> = { 'far>short': 10, 'near>short': 2 };
    const result = rebalance(
      [
        { campusId: 'far', surplus: 5 },
        { campusId: 'near', surplus: 5 },
        { campusId: 'short', surplus: -4 },
      ],
      (a, b) => distance[`${a}>${b}`]!,
    );
    expect(result.moves).toEqual([{ from: 'near', to: 'short', loaners: 4 }]);
    expect(result).toMatchObject({ cost: 8, unmet: 0, unused: 6 });
  });

  it('when the district is short, every spare moves and the rest is unmet', () => {
    const result = rebalance(
      [
        { campusId: 'a', surplus: 2 },
        { campusId: 'b', surplus: -5 },
        { campusId: 'c', surplus: -1 },
      ],
      uniform,
    );
    expect(result.moves.reduce((n, m) => n + m.loaners, 0)).toBe(2);
    expect(result.unmet).toBe(4);
  });

  it('never moves between campuses the district ruled out', () => {
    const result = rebalance(
      [
        { campusId: 'island', surplus: 4 },
        { campusId: 'town', surplus: -4 },
      ],
      () => Infinity,
    );
    expect(result.moves).toEqual([]);
    expect(result).toMatchObject({ unmet: 4, unused: 4 });
  });

  it('refuses a fraction of a loaner, a campus listed twice and a negative cost', () => {
    expect(() => rebalance([{ campusId: 'a', surplus: 1.5 }], uniform)).toThrow(RangeError);
    expect(() =>
      rebalance(
        [
          { campusId: 'a', surplus: 1 },
          { campusId: 'a', surplus: -1 },
        ],
        uniform,
      ),
    ).toThrow(RangeError);
    expect(() =>
      rebalance(
        [
          { campusId: 'a', surplus: 1 },
          { campusId: 'b', surplus: -1 },
        ],
        () => -1,
      ),
    ).toThrow(RangeError);
  });

  it('equals the linear program optimum on random districts, and its moves balance', () => {
    const district = fc.array(fc.integer({ min: -12, max: 12 }), { minLength: 2, maxLength: 12 }).chain((surpluses) =>
      fc.record({
        campuses: fc.constant(surpluses.map((surplus, i) => ({ campusId: `c${i}`, surplus }))),
        costs: fc.array(fc.integer({ min: 0, max: 50 }), { minLength: surpluses.length ** 2, maxLength: surpluses.length ** 2 }),
      }),
    );
    fc.assert(
      fc.property(district, ({ campuses, costs }) => {
        const n = campuses.length;
        const cost = (a: string, b: string) => costs[Number(a.slice(1)) * n + Number(b.slice(1))]!;
        const result = rebalance(campuses, cost);
        expect(result.cost).toBeCloseTo(lpOptimum(campuses, cost), 6);
        expect(result.cost).toBe(result.moves.reduce((a, m) => a + m.loaners * cost(m.from, m.to), 0));
        for (const c of campuses) {
          const out = result.moves.filter((m) => m.from === c.campusId).reduce((a, m) => a + m.loaners, 0);
          const into = result.moves.filter((m) => m.to === c.campusId).reduce((a, m) => a + m.loaners, 0);
          if (c.surplus >= 0) expect(into).toBe(0);
          if (c.surplus <= 0) expect(out).toBe(0);
          expect(out).toBeLessThanOrEqual(Math.max(0, c.surplus));
          expect(into).toBeLessThanOrEqual(Math.max(0, -c.surplus));
        }
        const supply = campuses.reduce((a, c) => a + Math.max(0, c.surplus), 0);
        const demand = campuses.reduce((a, c) => a + Math.max(0, -c.surplus), 0);
        expect(result.unmet).toBe(demand - Math.min(supply, demand));
        expect(result.unused).toBe(supply - Math.min(supply, demand));
      }),
      { numRuns: 150 },
    );
  });
});
