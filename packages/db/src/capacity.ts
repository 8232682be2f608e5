import type { Executor } from './transaction.js';

/**
 * What the capacity plan reads (docs/analytics.md): the loans of a window
 * by the campus of the station that lent them, split into day loans and
 * swap loans (a swap's loan is the one its repair ticket names), and each
 * campus's loaner pool. Core does the arithmetic; these only hand over rows.
 */
export interface CapacityWindow {
  /** Campuses to read; null: the whole district. */
  scope: readonly string[] | null;
  from: number;
  to: number;
}

/** Loans out at any time in the window: when they started and ended (null: still out), and whether a swap made them. */
export async function capacityLoanSpans(db: Executor, window: CapacityWindow) {
  if (window.scope && window.scope.length === 0) return [];
  let q = db
    .selectFrom('loans')
    .innerJoin('stations', 'stations.id', 'loans.station_id')
    .leftJoin('repair_tickets', 'repair_tickets.loan_id', 'loans.id')
    .select([
      'stations.site_id as siteId',
      'loans.started_at as startedAt',
      'loans.ended_at as endedAt',
      'repair_tickets.id as ticketId',
    ])
    .where('loans.started_at', 'is not', null)
    .where('loans.started_at', '<', window.to)
    .where((eb) => eb.or([eb('loans.ended_at', 'is', null), eb('loans.ended_at', '>=', window.from)]));
  if (window.scope) q = q.where('stations.site_id', 'in', window.scope);
  const rows = await q.execute();
  return rows.map((r) => ({
    siteId: r.siteId,
    start: Number(r.startedAt),
    end: r.endedAt === null ? null : Number(r.endedAt),
    swap: r.ticketId !== null,
  }));
}

/** Loaners each campus holds (lost and retired ones are gone). */
export async function loanerPoolsBySite(db: Executor, scope: readonly string[] | null) {
  if (scope && scope.length === 0) return new Map<string, number>();
  let q = db
    .selectFrom('devices')
    .select(['site_id as siteId', (eb) => eb.fn.countAll<number | string>().as('loaners')])
    .where('pool', '=', 'loaner')
    .where('status', 'not in', ['lost', 'retired'])
    .where('site_id', 'is not', null)
    .groupBy('site_id');
  if (scope) q = q.where('site_id', 'in', scope);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.siteId!, Number(r.loaners)]));
}
