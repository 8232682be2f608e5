import {
  chargeStatuses,
  compartmentStatuses,
  deviceStatuses,
  isDomainError,
  loanStatuses,
  nextCharge,
  nextCompartment,
  nextDevice,
  nextLoan,
  nextRepair,
  nextTask,
  repairStatuses,
  taskStates,
  type ChargeEvent,
  type CompartmentEvent,
  type DeviceEvent,
  type LoanEvent,
  type RepairEvent,
  type TaskEvent,
} from '@cubby/core';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Checked, not hoped for: every state change of a device, loan, repair
 * ticket, charge session and compartment goes through core's machine inside
 * one of db's move functions (a single-use task's too) (a conditional update from the exact state).
 */

const root = join(import.meta.dirname, '../../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'testing' ? [] : sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Test support (`testing/`) and tests arrange states on purpose; the running code may not. */
const engineFiles = [...sourceFiles(join(root, 'packages/server/src')), ...sourceFiles(join(root, 'packages/cli/src'))];

/** `.set({ … status: …` (or `.set((eb) => ({ … status: …`): a status written by hand. */
const setsStatus = /\.set\(\s*(?:\(\w*\)\s*=>\s*\(\s*)?\{[^}]*\bstatus\s*:/;
/** `moveX(db, id, 'from', 'to'…` or `moveX(db, { … to: 'x'`: a hand-written transition pair. */
const literalTarget = /\bmove\w*\(\s*[\w.]+\s*,\s*(?:[\w.!]+\s*,\s*(?:\[[^\]]*\]|'\w+')\s*,\s*'\w+'|\{[^}]*\bto\s*:\s*')/;

/**
 * Known offenders outside the engine's files, each with its reason; the test
 * fails when one is fixed, so the list stays true.
 */
const knownOffenders: Record<string, string> = {};

describe('no hand-written state change outside db', () => {
  it('the patterns catch a status set by hand and a literal transition pair', () => {
    expect(setsStatus.test(".updateTable('devices').set({ status: 'on_loan', updated_at: now })")).toBe(true);
    expect(setsStatus.test(".set((eb) => ({ loan_count: 1, status: 'x' }))")).toBe(true);
    expect(setsStatus.test('.set({ device_id: null, presence: 1 })')).toBe(false);
    expect(literalTarget.test("moveDevice(tx.db, loan.device_id, 'on_loan', 'available', now)")).toBe(true);
    expect(literalTarget.test("moveLoan(tx.db, loan.id, ['pending'], 'cancelled', {})")).toBe(true);
    expect(literalTarget.test("moveCompartment(tx.db, { id, from, to: 'empty' })")).toBe(true);
    expect(literalTarget.test("moveDevice(tx.db, { id, from: 'available', event: { type: 'lend' }, now })")).toBe(false);
  });

  it('no file of the server or the CLI sets a status column or names a target state', () => {
    const offenders = engineFiles
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        return setsStatus.test(text) || literalTarget.test(text);
      })
      .map((file) => relative(root, file));
    expect(offenders.sort()).toEqual(Object.keys(knownOffenders).sort());
  });
});

/*
 * Every transition of core's machines is used by some service, or listed as
 * not yet used. "Used" is found statically: the event literals passed to db's
 * move functions (and the holds, which reserve) in services/**. It is per
 * event, not per (state, event) pair, because most call sites pass the state
 * they just read from the row, which no static reading can name; which states
 * accept each event is the machine's own table test in core.
 */
const events = {
  device: {
    machine: (s: string, e: DeviceEvent) => nextDevice(s as never, e),
    states: deviceStatuses,
    events: {
      stock: [{ type: 'stock' }],
      take_out: [{ type: 'take_out' }],
      lend: [{ type: 'lend' }],
      lend_cancelled: [{ type: 'lend_cancelled' }],
      lent_offline: [{ type: 'lent_offline' }],
      returned: [{ type: 'returned' }],
      deposit_for_charge: [{ type: 'deposit_for_charge' }],
      collect_from_charge: [{ type: 'collect_from_charge' }],
      flag_broken: [{ type: 'flag_broken' }],
      collect_for_repair: [{ type: 'collect_for_repair' }],
      repaired: [{ type: 'repaired' }],
      picked_up: [{ type: 'picked_up' }],
      loaded_for_task: [{ type: 'loaded_for_task' }],
      dropped_off: [{ type: 'dropped_off' }],
      task_cancelled: [{ type: 'task_cancelled' }],
      lost: [{ type: 'lost' }],
      found: [{ type: 'found' }],
      retire: [{ type: 'retire' }],
      wipe: [{ type: 'wipe' }],
    } satisfies { [T in DeviceEvent['type']]: Extract<DeviceEvent, { type: T }>[] },
    calls: ['moveDevice'],
  },
  loan: {
    machine: (s: string, e: LoanEvent) => nextLoan(s as never, e),
    states: loanStatuses,
    events: {
      taken: [{ type: 'taken' }],
      not_taken: [{ type: 'not_taken' }],
      due_passed: [{ type: 'due_passed' }],
      returned: [{ type: 'returned' }],
      declared_lost: [{ type: 'declared_lost' }],
    } satisfies { [T in LoanEvent['type']]: Extract<LoanEvent, { type: T }>[] },
    calls: ['moveLoan'],
  },
  repair: {
    machine: (s: string, e: RepairEvent) => nextRepair(s as never, e),
    states: repairStatuses,
    events: {
      deposited: [{ type: 'deposited' }],
      collected: [{ type: 'collected' }],
      repair_started: [{ type: 'repair_started' }],
      repair_finished: [{ type: 'repair_finished' }],
      placed_for_pickup: [{ type: 'placed_for_pickup' }],
      picked_up: [{ type: 'picked_up' }],
      retire: [{ type: 'retire' }],
    } satisfies { [T in RepairEvent['type']]: Extract<RepairEvent, { type: T }>[] },
    calls: ['moveRepairTicket'],
  },
  task: {
    machine: (s: string, e: TaskEvent) => nextTask(s as never, e),
    states: taskStates,
    events: {
      loaded: [{ type: 'loaded' }],
      completed: [{ type: 'completed' }],
      cancel: [{ type: 'cancel' }],
    } satisfies { [T in TaskEvent['type']]: Extract<TaskEvent, { type: T }>[] },
    calls: ['moveTask'],
  },
  charge: {
    machine: (s: string, e: ChargeEvent) => nextCharge(s as never, e),
    states: chargeStatuses,
    events: {
      deposited: [{ type: 'deposited' }],
      deposit_failed: [{ type: 'deposit_failed' }],
      collect: [{ type: 'collect' }],
      collected: [{ type: 'collected' }],
      collect_failed: [{ type: 'collect_failed' }],
    } satisfies { [T in ChargeEvent['type']]: Extract<ChargeEvent, { type: T }>[] },
    calls: ['moveChargeSession'],
  },
  compartment: {
    machine: (s: string, e: CompartmentEvent) => nextCompartment(s as never, e),
    states: compartmentStatuses,
    events: {
      reserve: [{ type: 'reserve' }],
      release: [true, false].map((presence) => ({ type: 'release' as const, presence })),
      door_opened: [{ type: 'door_opened' }],
      door_closed: [true, false].map((presence) => ({ type: 'door_closed' as const, presence })),
      step_abandoned: [true, false].map((presence) => ({ type: 'step_abandoned' as const, presence })),
      take_out_of_service: [{ type: 'take_out_of_service' }],
      return_to_service: [true, false].map((presence) => ({ type: 'return_to_service' as const, presence })),
      emptied_offline: [{ type: 'emptied_offline' }],
      filled_offline: [{ type: 'filled_offline' }],
      stocked: [{ type: 'stocked' }],
    } satisfies { [T in CompartmentEvent['type']]: Extract<CompartmentEvent, { type: T }>[] },
    calls: ['moveCompartment'],
  },
} as const;

type MachineName = keyof typeof events;

/** Transitions no service makes yet; each names what will use it. Remove an entry when a service does. */
const notYetUsed: Record<MachineName, string[]> = {
  device: [],
  // due_passed: the overdue job.
  loan: ['due_passed'],
  // deposited: no act reports a ticket before its drop-off yet.
  repair: ['deposited'],
  task: [],
  charge: [],
  // stocked: technician restock (the demo seed stocks through db's stockCompartment today).
  compartment: ['stocked'],
};

/** The event types passed to a machine's move functions anywhere in services/** (tests excluded). */
function usedEvents(): Record<MachineName, Set<string>> {
  const used = Object.fromEntries(Object.keys(events).map((m) => [m, new Set<string>()])) as Record<MachineName, Set<string>>;
  for (const file of sourceFiles(join(root, 'packages/server/src/services'))) {
    const text = readFileSync(file, 'utf8');
    for (const [name, m] of Object.entries(events) as [MachineName, (typeof events)[MachineName]][]) {
      for (const call of m.calls) {
        for (const args of callArguments(text, call))
          for (const [, type] of args.matchAll(/type: '(\w+)'/g)) used[name].add(type!);
      }
    }
    // A hold is the compartment's reserve (db's reserveCompartment / holdFreeCompartment apply it).
    if (/\b(reserveCompartment|holdFreeCompartment)\(/.test(text)) used.compartment.add('reserve');
  }
  return used;
}

/** The text between the parentheses of each call of `name(…)`. */
function callArguments(text: string, name: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(new RegExp(`\\b${name}\\(`, 'g'))) {
    let depth = 1;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < text.length && depth > 0; i++) depth += text[i] === '(' ? 1 : text[i] === ')' ? -1 : 0;
    found.push(text.slice(start, i - 1));
  }
  return found;
}

describe('every transition of core is used by a service or listed as not yet used', () => {
  const used = usedEvents();
  it.each(Object.keys(events) as MachineName[])('%s', (name) => {
    const m = events[name];
    // Events some state accepts (the valid (state, event) pairs, by event).
    const valid = Object.entries(m.events)
      .filter(([, variants]) =>
        (variants as { type: string }[]).some((e) => m.states.some((s) => !isDomainError(m.machine(s, e as never)))),
      )
      .map(([type]) => type)
      .sort();
    const usedHere = [...used[name]].sort();
    expect(
      usedHere.filter((t) => !valid.includes(t)),
      'events used but unknown to core',
    ).toEqual([]);
    expect(
      usedHere.filter((t) => notYetUsed[name].includes(t)),
      'listed as not yet used, but a service uses them',
    ).toEqual([]);
    expect(
      valid.filter((t) => !usedHere.includes(t) && !notYetUsed[name].includes(t)),
      'unused and not listed',
    ).toEqual([]);
  });
});
