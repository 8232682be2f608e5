import type { RepairDashboardEvent, RepairStatus } from '@cubby/core';
import { repairDashboardEvents } from '@cubby/core/enumerations';

/** The steps a technician takes on the dashboard (POST /repairs/:id/move); the others happen at the locker. */
export type DashboardMove = RepairDashboardEvent;
const dashboardMoves = repairDashboardEvents;

/**
 * Where each dashboard move takes a ticket from which step: core's repair
 * state machine (nextRepair) as far as the dashboard drives it. The server
 * checks again; this only decides which buttons and drop columns to offer.
 */
export function moveTo(from: RepairStatus, move: DashboardMove): RepairStatus | null {
  if (move === 'repair_started') return from === 'collected' ? 'in_repair' : null;
  if (move === 'repair_finished') return from === 'in_repair' ? 'repaired' : null;
  return from === 'closed' || from === 'retired' ? null : 'retired';
}

/** The moves open from a step, forward first, retire last. */
export function movesFrom(from: RepairStatus): DashboardMove[] {
  return dashboardMoves.filter((m) => moveTo(from, m) !== null);
}

/** The move that brings a ticket from one step to another, when the dashboard may make it. */
export function moveBetween(from: RepairStatus, to: RepairStatus): DashboardMove | null {
  return dashboardMoves.find((m) => moveTo(from, m) === to) ?? null;
}

/** The card's one button: the next forward step, when the dashboard takes it. */
export function nextMove(from: RepairStatus): DashboardMove | null {
  return movesFrom(from).find((m) => m !== 'retire') ?? null;
}

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

/** "35 min", "5 h", "3 days": a duration as a person reads it on a card. */
export function ageParts(ms: number): { unit: 'minutes' | 'hours' | 'days'; count: number } {
  if (ms < hour) return { unit: 'minutes', count: Math.max(0, Math.floor(ms / minute)) };
  if (ms < day) return { unit: 'hours', count: Math.floor(ms / hour) };
  return { unit: 'days', count: Math.floor(ms / day) };
}

/** The board's and a ticket's queries (every repairs query starts with 'repairs': a move reloads them all). */
export const boardKey = ['repairs', 'board'];
export const ticketKey = (id: string) => ['repairs', 'ticket', id];
