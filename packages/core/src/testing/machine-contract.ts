/**
 * Test support shared by the state-machine tests (imported by *.test.ts only,
 * never by the package's index): the contract every `next(state, event)` in
 * core keeps, and a way to spell a machine's allowed moves as a table.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { isDomainError, type DomainError } from '../errors.js';

export type Machine<S extends string, E extends { type: string }> = (state: S, event: E) => S | DomainError;

export interface Step<S, E> {
  before: S;
  event: E;
  result: S | DomainError;
}

/** Drives a machine the way a service does: a rejected event leaves the caller on its old state. */
export function walk<S extends string, E extends { type: string }>(
  next: Machine<S, E>,
  start: S,
  events: readonly E[],
): { steps: Step<S, E>[]; end: S } {
  const steps: Step<S, E>[] = [];
  let state = start;
  for (const event of events) {
    const result = next(state, event);
    steps.push({ before: state, event, result });
    if (!isDomainError(result)) state = result;
  }
  return { steps, end: state };
}

/**
 * For any start state and any event sequence: every accepted event lands in a
 * declared state, every refused one is an `invalid_transition` naming the state
 * and event it refused, and asking again gives the same answer (pure, so a
 * refusal cannot have moved anything).
 */
export function machineContract<S extends string, E extends { type: string }>(
  next: Machine<S, E>,
  states: readonly S[],
  event: fc.Arbitrary<E>,
): fc.IPropertyWithHooks<[S, E[]]> {
  return fc.property(fc.constantFrom(...states), fc.array(event, { maxLength: 40 }), (start, events) => {
    for (const { before, event: e, result } of walk(next, start, events).steps) {
      if (isDomainError(result)) {
        expect(result.code).toBe('invalid_transition');
        expect(result.status).toBe(409);
        expect(result.details).toMatchObject({ state: before, event: e.type });
      } else {
        expect(states).toContain(result);
      }
      expect(next(before, e)).toEqual(result);
    }
  });
}

/** A refusal is always `invalid_transition`, never some other failure. */
export function expectMove<S extends string>(result: S | DomainError, to: S | null): void {
  if (to === null) expect(isDomainError(result) && result.code).toBe('invalid_transition');
  else expect(result).toBe(to);
}

/** From a terminal state, every event of any sequence is refused and the state stays put. */
export function terminalContract<S extends string, E extends { type: string }>(
  next: Machine<S, E>,
  terminal: S,
  event: fc.Arbitrary<E>,
): fc.IPropertyWithHooks<[E[]]> {
  return fc.property(fc.array(event, { maxLength: 20 }), (events) => {
    const { steps, end } = walk(next, terminal, events);
    expect(steps.every((s) => isDomainError(s.result))).toBe(true);
    expect(end).toBe(terminal);
  });
}

export interface TransitionRow<S extends string, T extends string> {
  from: S;
  event: T;
  to: S | null;
  /** Reads as the end of a test name: "becomes active" / "is refused". */
  outcome: string;
}

/**
 * Every (state, event type) pair, with the state the table allows or `null`
 * for a refusal, so a table test also proves everything not listed is refused.
 */
export function transitionTable<S extends string, T extends string>(
  states: readonly S[],
  allowed: Record<T, Partial<Record<S, S>>>,
): TransitionRow<S, T>[] {
  const rows: TransitionRow<S, T>[] = [];
  for (const event of Object.keys(allowed) as T[]) {
    for (const from of states) {
      const to = allowed[event][from] ?? null;
      rows.push({ from, event, to, outcome: to === null ? 'is refused' : `becomes ${to}` });
    }
  }
  return rows;
}

/** Any event of a payload-free machine, for the random walks. */
export function anyEventOf<T extends string>(types: readonly T[]): fc.Arbitrary<{ type: T }> {
  return fc.constantFrom(...types).map((type) => ({ type }));
}
