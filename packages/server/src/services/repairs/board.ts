import { can, enteredCurrentState, repairStatuses, turnaround, turnaroundBy, type Principal, type Turnaround } from '@cubby/core';
import { repairBoardRows, repairTechnicians, repairTurnaroundRows, sitesInScope, type Executor } from '@cubby/db';
import type { RepairBoard, RepairBoardQuery, RepairCard, TurnaroundGroup } from '@cubby/protocol/api';
import { theDistrictId } from '../district-records.js';

const day = 86_400_000;
/** Closed and retired tickets stay on the board this long. */
export const boardEndedDays = 14;
/** Turnaround counts the tickets reported in this window. */
export const turnaroundDays = 365;

/**
 * The repair board (issue 14): one column per ticket state with its cards
 * (open tickets, and those closed or retired in the last two weeks), each
 * with its age in its state, and the turnaround of the tickets reported in
 * the last year: overall, per campus and per model (core computes it; the
 * database only hands over the times). Filters narrow both.
 */
export async function repairBoard(
  db: Executor,
  principal: Principal,
  query: RepairBoardQuery,
  now = Date.now(),
): Promise<RepairBoard> {
  const filter = {
    scope: principal.siteIds,
    siteId: query.siteId,
    model: query.model,
    symptom: query.symptom,
    technicianId: query.technicianId,
  };
  const [rows, times, sites, districtId] = await Promise.all([
    repairBoardRows(db, { ...filter, endedSince: now - boardEndedDays * day, withNames: can(principal, 'people:read') }),
    repairTurnaroundRows(db, { ...filter, since: now - turnaroundDays * day }),
    sitesInScope(db, principal.siteIds),
    theDistrictId({ db }),
  ]);
  const minAge = query.minAgeDays === undefined ? 0 : query.minAgeDays * day;
  const cards: RepairCard[] = [];
  for (const { entered, ...r } of rows) {
    const enteredAt = enteredCurrentState(r.status, entered) ?? entered.reported!;
    const ageMs = Math.max(0, now - enteredAt);
    if (ageMs >= minAge) cards.push({ ...r, enteredAt, ageMs });
  }
  const siteNames = new Map(sites.map((s) => [s.id, s.name]));
  const technicians = (await repairTechnicians(db, districtId)).filter(
    (t) => principal.siteIds === null || t.siteIds === null || t.siteIds.some((id) => principal.siteIds!.includes(id)),
  );
  return {
    generatedAt: now,
    columns: repairStatuses.map((status) => ({ status, cards: cards.filter((c) => c.status === status) })),
    turnaround: {
      overall: group(turnaround(times)),
      campuses: turnaroundBy(times, (t) => t.siteId)
        .filter((g) => siteNames.has(g.key))
        .map((g) => ({ siteId: g.key, name: siteNames.get(g.key)!, ...group(g.turnaround) })),
      models: turnaroundBy(times, (t) => t.model).map((g) => ({ model: g.key, ...group(g.turnaround) })),
    },
    technicians: technicians.map(({ id, name }) => ({ id, name })),
    models: [...new Set(rows.map((r) => r.model))].sort(),
  };
}

const group = (t: Turnaround): TurnaroundGroup => ({ states: t.states, endToEnd: t.endToEnd });
