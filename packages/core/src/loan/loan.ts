import { assertNever, invalidTransition, type DomainError } from '../errors.js';

export const loanReasons = ['broken', 'forgotten', 'dead_battery', 'other'] as const;
export type LoanReason = (typeof loanReasons)[number];

/**
 * `pending` covers the seconds between the claim and the door closing: a loan
 * only becomes `active` once the presence sensor says the loaner left.
 */
export const loanStatuses = ['pending', 'active', 'overdue', 'returned', 'lost', 'cancelled'] as const;
export type LoanStatus = (typeof loanStatuses)[number];

export type LoanEvent =
  | { type: 'taken' } // door closed, compartment empty
  | { type: 'not_taken' } // door closed, loaner still inside (or the lock failed)
  | { type: 'due_passed' }
  | { type: 'returned' }
  | { type: 'declared_lost' };

export function nextLoan(state: LoanStatus, event: LoanEvent): LoanStatus | DomainError {
  const bad = () => invalidTransition('loan', state, event.type);
  switch (event.type) {
    case 'taken':
      return state === 'pending' ? 'active' : bad();
    case 'not_taken':
      return state === 'pending' ? 'cancelled' : bad();
    case 'due_passed':
      return state === 'active' ? 'overdue' : bad();
    case 'returned':
      return state === 'active' || state === 'overdue' || state === 'lost' ? 'returned' : bad();
    case 'declared_lost':
      return state === 'active' || state === 'overdue' ? 'lost' : bad();
    default:
      return assertNever(event);
  }
}

/** Loans that count against a person's limit and hold their device. */
export const openLoanStatuses: readonly LoanStatus[] = ['pending', 'active', 'overdue'];

export function isOpenLoan(status: LoanStatus): boolean {
  return openLoanStatuses.includes(status);
}
