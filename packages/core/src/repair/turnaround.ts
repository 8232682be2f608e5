import { repairStatuses, type RepairStatus } from './repair-ticket.js';

/**
 * Repair turnaround (issue 14, the repair board's header): how long tickets
 * spend in each state and from reported to closed, as a median and a 90th
 * percentile. Pure: the database only hands over the times each ticket
 * entered each state (its `*_at` columns); this decides what counts.
 */

/** When a ticket entered each state; null or absent: it never did. */
export type RepairEntered = { [S in RepairStatus]?: number | null };

export interface Spread {
  count: number;
  /** Null when count is 0. */
  medianMs: number | null;
  p90Ms: number | null;
}

export interface StateSpread extends Spread {
  status: RepairStatus;
}

export interface Turnaround {
  /** One per state a ticket can leave along the road (reported … ready_for_pickup), in order. */
  states: StateSpread[];
  /** reported → closed, closed tickets only. */
  endToEnd: Spread;
}

/** The road of a repaired device; `retired` may end it from any open step. */
const road: readonly RepairStatus[] = repairStatuses.filter((s) => s !== 'retired');
/** States a ticket leaves (closed and retired are the ends). */
export const turnaroundStates: readonly RepairStatus[] = road.filter((s) => s !== 'closed');

const known = (t: number | null | undefined): t is number => typeof t === 'number' && Number.isFinite(t);

/** Median (the mean of the middle two for an even count, rounded) and nearest-rank 90th percentile. */
export function spread(durations: readonly number[]): Spread {
  const sorted = durations.filter(Number.isFinite).sort((a, b) => a - b);
  const n = sorted.length;
  if (n === 0) return { count: 0, medianMs: null, p90Ms: null };
  const mid = Math.floor(n / 2);
  const median = n % 2 === 1 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
  const p90 = sorted[Math.ceil((9 * n) / 10) - 1]!;
  return { count: n, medianMs: median, p90Ms: p90 };
}

/**
 * The time a ticket spent in each state it finished: from entering it to
 * entering the very next state of the road, or to retirement when that was
 * the last state it reached. A state it skipped past (a ticket opened by hand
 * goes from reported straight to collected) or has not left yet counts
 * nothing, and neither does a negative span (clocks that disagreed).
 */
export function stateDurations(entered: RepairEntered): { status: RepairStatus; ms: number }[] {
  const out: { status: RepairStatus; ms: number }[] = [];
  for (const [i, status] of turnaroundStates.entries()) {
    const from = entered[status];
    if (!known(from)) continue;
    const next = entered[road[i + 1]!];
    const laterReached = road.slice(i + 1).some((s) => known(entered[s]));
    const to = known(next) ? next : !laterReached && known(entered.retired) ? entered.retired : null;
    if (to !== null && to >= from) out.push({ status, ms: to - from });
  }
  return out;
}

/** reported → closed, for a closed ticket. */
export function endToEndDuration(entered: RepairEntered): number | null {
  const { reported, closed } = entered;
  return known(reported) && known(closed) && closed >= reported ? closed - reported : null;
}

export function turnaround(tickets: Iterable<{ entered: RepairEntered }>): Turnaround {
  const byState = new Map<RepairStatus, number[]>(turnaroundStates.map((s) => [s, []]));
  const ends: number[] = [];
  for (const { entered } of tickets) {
    for (const { status, ms } of stateDurations(entered)) byState.get(status)!.push(ms);
    const end = endToEndDuration(entered);
    if (end !== null) ends.push(end);
  }
  return {
    states: turnaroundStates.map((status) => ({ status, ...spread(byState.get(status)!) })),
    endToEnd: spread(ends),
  };
}

/** Turnaround per group (a campus, a model), groups in order of their key; a null key belongs to none. */
export function turnaroundBy<T extends { entered: RepairEntered }>(
  tickets: readonly T[],
  key: (ticket: T) => string | null,
): { key: string; turnaround: Turnaround }[] {
  const groups = new Map<string, T[]>();
  for (const t of tickets) {
    const k = key(t);
    if (k === null) continue;
    const list = groups.get(k);
    if (list) list.push(t);
    else groups.set(k, [t]);
  }
  return [...groups.keys()]
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((k) => ({ key: k, turnaround: turnaround(groups.get(k)!) }));
}

/** When a ticket entered the state it is in now (its age on the board counts from this). */
export function enteredCurrentState(status: RepairStatus, entered: RepairEntered): number | null {
  const at = entered[status];
  return known(at) ? at : null;
}
