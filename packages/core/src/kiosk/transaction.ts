/**
 * One student's visit to a station for one thing (a borrow, a return, a swap…).
 * Each door it opens is a step; the transaction id is the correlation id that
 * ties its loan, repair ticket and audit events together.
 */
export const transactionKinds = [
  'borrow',
  'return',
  'swap',
  'charge',
  'collect',
  'pickup',
  'drop_off',
  'technician_collect',
  'restock_loaners',
  'take_loaners_out',
  'place_for_pickup',
  'task',
] as const;
export type TransactionKind = (typeof transactionKinds)[number];

export const transactionStatuses = ['in_progress', 'completed', 'failed'] as const;
export type TransactionStatus = (typeof transactionStatuses)[number];

/** What the person is asked to do at an open door. */
export const stepPurposes = [
  'take_loaner',
  'return_loaner',
  'deposit_broken',
  'deposit_for_charge',
  'collect_own',
  'pickup_repaired',
  'deposit_for_repair',
  'collect_flagged',
  'restock_loaner',
  'take_loaner_out',
  'place_repaired',
  'task_pick_up',
  'task_drop_off',
] as const;
export type StepPurpose = (typeof stepPurposes)[number];
