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
  'technician_open_door',
  'bank_check_doors',
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
  'technician_open', // a technician opened the door with a reason (check, clean, a stuck device…)
  'bank_check', // a bank check opening each door in turn, so the technician can look
  'task_pick_up',
  'task_drop_off',
] as const;
export type StepPurpose = (typeof stepPurposes)[number];

/** Why a technician opens one door at the kiosk (recorded in the audit with the opening). */
export const doorOpenReasons = ['check_contents', 'clean', 'stuck_device', 'other'] as const;
export type DoorOpenReason = (typeof doorOpenReasons)[number];

/** Why a technician takes a door out of service at the kiosk, or puts it back. */
export const doorServiceReasons = ['broken_lock', 'broken_charger', 'damaged_door', 'repaired', 'other'] as const;
export type DoorServiceReason = (typeof doorServiceReasons)[number];
