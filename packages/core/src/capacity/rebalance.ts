/**
 * Moving spare loaners between campuses (issue 17, rebalancing): a campus
 * with more than its plan supplies, one with fewer takes, and the district
 * sets what a move between two campuses costs per loaner (distance, a
 * technician's trip). A transportation problem, solved exactly as a min-cost
 * flow by successive shortest paths — tens of campuses make it tiny. When
 * the district as a whole is short, as many loaners as there are spares
 * move (the flow is maximal) at the least cost; the rest stays unmet.
 */
export interface CampusBalance {
  campusId: string;
  /** Loaners above (positive) or below (negative) the campus's plan. */
  surplus: number;
}

export interface LoanerMove {
  from: string;
  to: string;
  loaners: number;
}

export interface Rebalancing {
  moves: LoanerMove[];
  /** Σ loaners × cost per loaner of each move. */
  cost: number;
  /** Loaners short campuses still lack (the district has too few spares). */
  unmet: number;
  /** Spares left where they are (the district has more than it needs). */
  unused: number;
}

/** What moving one loaner from a campus to another costs; Infinity: never move between these two. */
export type MoveCost = (from: string, to: string) => number;

interface Arc {
  to: number;
  capacity: number;
  cost: number;
  /** Index of the reverse arc in `arcs[to]`. */
  back: number;
}

export function rebalance(campuses: readonly CampusBalance[], costOf: MoveCost): Rebalancing {
  const ids = new Set<string>();
  for (const c of campuses) {
    if (!Number.isInteger(c.surplus)) throw new RangeError(`surplus of ${c.campusId} must be a whole number`);
    if (ids.has(c.campusId)) throw new RangeError(`campus ${c.campusId} is listed twice`);
    ids.add(c.campusId);
  }
  // Largest first: among equally cheap plans, big surpluses meet big deficits, so fewer trips.
  const givers = campuses.filter((c) => c.surplus > 0).sort((a, b) => b.surplus - a.surplus);
  const takers = campuses.filter((c) => c.surplus < 0).sort((a, b) => a.surplus - b.surplus);
  const source = 0;
  const sink = givers.length + takers.length + 1;
  const arcs: Arc[][] = Array.from({ length: sink + 1 }, () => []);
  const addArc = (from: number, to: number, capacity: number, cost: number) => {
    arcs[from]!.push({ to, capacity, cost, back: arcs[to]!.length });
    arcs[to]!.push({ to: from, capacity: 0, cost: -cost, back: arcs[from]!.length - 1 });
  };
  givers.forEach((g, i) => addArc(source, 1 + i, g.surplus, 0));
  takers.forEach((t, j) => addArc(1 + givers.length + j, sink, -t.surplus, 0));
  for (const [i, g] of givers.entries())
    for (const [j, t] of takers.entries()) {
      const cost = costOf(g.campusId, t.campusId);
      if (cost === Infinity) continue;
      if (!(cost >= 0) || !Number.isFinite(cost))
        throw new RangeError(`the cost from ${g.campusId} to ${t.campusId} must be ≥ 0`);
      addArc(1 + i, 1 + givers.length + j, Math.min(g.surplus, -t.surplus), cost);
    }

  let cost = 0;
  for (;;) {
    const path = cheapestPath(arcs, source, sink);
    if (!path) break;
    let room = Infinity;
    for (const [node, k] of path) room = Math.min(room, arcs[node]![k]!.capacity);
    for (const [node, k] of path) {
      const arc = arcs[node]![k]!;
      arc.capacity -= room;
      arcs[arc.to]![arc.back]!.capacity += room;
      cost += room * arc.cost;
    }
  }

  const moves: LoanerMove[] = [];
  for (const [i, g] of givers.entries())
    for (const arc of arcs[1 + i]!) {
      const j = arc.to - 1 - givers.length;
      // The flow on a giver → taker arc is what its reverse arc now holds.
      const moved = j >= 0 && j < takers.length ? arcs[arc.to]![arc.back]!.capacity : 0;
      if (moved > 0 && arc.cost >= 0) moves.push({ from: g.campusId, to: takers[j]!.campusId, loaners: moved });
    }
  const movedTotal = moves.reduce((a, m) => a + m.loaners, 0);
  return {
    moves,
    cost,
    unmet: takers.reduce((a, t) => a - t.surplus, 0) - movedTotal,
    unused: givers.reduce((a, g) => a + g.surplus, 0) - movedTotal,
  };
}

/** Bellman–Ford over arcs with room left (residual arcs carry negative costs): the arcs of a cheapest source → sink path. */
function cheapestPath(arcs: Arc[][], source: number, sink: number): [number, number][] | undefined {
  const n = arcs.length;
  const distance = new Array<number>(n).fill(Infinity);
  const via = new Array<[number, number] | undefined>(n).fill(undefined);
  distance[source] = 0;
  for (let round = 0; round < n - 1; round++) {
    let changed = false;
    for (let node = 0; node < n; node++) {
      if (distance[node] === Infinity) continue;
      for (const [k, arc] of arcs[node]!.entries()) {
        if (arc.capacity <= 0) continue;
        const d = distance[node]! + arc.cost;
        if (d < distance[arc.to]! - 1e-9) {
          distance[arc.to] = d;
          via[arc.to] = [node, k];
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  if (distance[sink] === Infinity) return undefined;
  const path: [number, number][] = [];
  for (let node = sink; node !== source;) {
    const step = via[node]!;
    path.push(step);
    node = step[0];
  }
  return path.reverse();
}
