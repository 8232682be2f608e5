import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors.js';
import { anyEventOf, expectMove, machineContract, transitionTable, walk } from '../testing/machine-contract.js';
import { isOpenLoan, loanReasons, nextLoan, openLoanStatuses, type LoanEvent, type LoanStatus } from './loan.js';

const statuses: readonly LoanStatus[] = ['pending', 'active', 'overdue', 'returned', 'lost', 'cancelled'];

type EventType = LoanEvent['type'];

const allowed: Record<EventType, Partial<Record<LoanStatus, LoanStatus>>> = {
  taken: { pending: 'active' },
  not_taken: { pending: 'cancelled' },
  due_passed: { active: 'overdue' },
  returned: { active: 'returned', overdue: 'returned', lost: 'returned' },
  declared_lost: { active: 'lost', overdue: 'lost' },
};

const eventTypes = Object.keys(allowed) as EventType[];
const anEvent = anyEventOf(eventTypes);

describe('loan state machine', () => {
  it.each(transitionTable(statuses, allowed))('a $from loan given $event $outcome', ({ from, event, to }) =>
    expectMove(nextLoan(from, { type: event }), to),
  );

  it('a loan becomes active only once the loaner is taken, and a loaner left behind cancels it', () => {
    expect(nextLoan('pending', { type: 'taken' })).toBe('active');
    expect(nextLoan('pending', { type: 'not_taken' })).toBe('cancelled');
    expect(isDomainError(nextLoan('pending', { type: 'returned' }))).toBe(true);
  });

  it('an overdue loan can still be returned, or declared lost and returned later', () => {
    const { steps, end } = walk(nextLoan, 'pending', [
      { type: 'taken' },
      { type: 'due_passed' },
      { type: 'declared_lost' },
      { type: 'returned' },
    ]);
    expect(steps.map((s) => s.result)).toEqual(['active', 'overdue', 'lost', 'returned']);
    expect(end).toBe('returned');
  });

  it('any sequence of events keeps the loan in a declared state and refuses only with invalid_transition', () => {
    fc.assert(machineContract(nextLoan, statuses, anEvent), { numRuns: 500 });
  });

  it.each(['returned', 'cancelled'] as const)('a %s loan accepts no further event', (terminal) => {
    for (const type of eventTypes) {
      const result = nextLoan(terminal, { type });
      expect(isDomainError(result) && result.code).toBe('invalid_transition');
    }
  });

  it('a lost loan accepts nothing but being returned', () => {
    for (const type of eventTypes) {
      expect(nextLoan('lost', { type })).toSatisfy((r) => (type === 'returned' ? r === 'returned' : isDomainError(r)));
    }
  });

  it('once a loan stops counting against the limit it never counts again', () => {
    fc.assert(
      fc.property(fc.constantFrom(...statuses), fc.array(anEvent, { maxLength: 30 }), (start, events) => {
        let closed = !isOpenLoan(start);
        for (const { result } of walk(nextLoan, start, events).steps) {
          if (isDomainError(result)) continue;
          if (closed) expect(isOpenLoan(result)).toBe(false);
          closed ||= !isOpenLoan(result);
        }
      }),
    );
  });

  it('a loan that leaves pending never goes back to pending', () => {
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 30 }), (events) => {
        const results = walk(nextLoan, 'pending', events).steps.map((s) => s.result);
        expect(results).not.toContain('pending');
      }),
    );
  });

  it('pending, active and overdue loans are the open ones that hold a device and count against the limit', () => {
    expect([...openLoanStatuses].sort()).toEqual(['active', 'overdue', 'pending']);
    expect(statuses.filter(isOpenLoan)).toEqual(['pending', 'active', 'overdue']);
  });

  it('a loan reason is one of broken, forgotten, dead battery or other', () => {
    expect(loanReasons).toEqual(['broken', 'forgotten', 'dead_battery', 'other']);
  });
});
