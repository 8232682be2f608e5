import type { StepPurpose, TransactionKind } from '@cubby/core';
import type { KioskAction } from '@cubby/protocol';
import type { KioskAct, StepHandler } from './act.js';
import { acceptAgreementAct } from './accept-agreement.js';
import { borrow } from './borrow.js';
import { charge } from './charge.js';
import { collect } from './collect.js';
import { dropOff } from './drop-off.js';
import { pickup } from './pickup.js';
import { placeForPickup } from './place-for-pickup.js';
import { restockLoaners } from './restock-loaners.js';
import { returnAct } from './return.js';
import { swap } from './swap.js';
import { takeLoanersOut } from './take-loaners-out.js';
import { taskAct } from './task.js';
import { technicianCollect } from './technician-collect.js';
import { bankCheckDoors } from './bank-check-doors.js';
import { technicianDoorService } from './technician-door-service.js';
import { technicianOpenDoor } from './technician-open-door.js';

/**
 * Every kiosk act, by the action a kiosk asks for. Adding one is its own file exporting a KioskAct, and one line here.
 */
const registry: { [K in KioskAction['kind']]: KioskAct<Extract<KioskAction, { kind: K }>> } = {
  borrow,
  return: returnAct,
  swap,
  charge,
  collect,
  pickup,
  accept_agreement: acceptAgreementAct,
  drop_off: dropOff,
  technician_collect: technicianCollect,
  restock_loaners: restockLoaners,
  take_loaners_out: takeLoanersOut,
  place_for_pickup: placeForPickup,
  technician_open_door: technicianOpenDoor,
  technician_door_service: technicianDoorService,
  bank_check_doors: bankCheckDoors,
  task: taskAct,
};

/** The act of an action, or of a kiosk transaction record (whose kind is its action's). */
export function actFor(kind: KioskAction['kind'] | TransactionKind): KioskAct {
  // Each act's start takes its own action; the kiosk message's kind picked it.
  return registry[kind] as KioskAct;
}

const handlers = new Map<StepPurpose, StepHandler>();
for (const act of Object.values(registry) as KioskAct[]) {
  for (const [purpose, handler] of Object.entries(act.steps ?? {}) as [StepPurpose, StepHandler][]) {
    if (handlers.has(purpose)) throw new Error(`two kiosk acts handle the ${purpose} door`);
    handlers.set(purpose, handler);
  }
}

/** The handler of a door by what the person does there. */
export function stepHandler(purpose: StepPurpose): StepHandler {
  const handler = handlers.get(purpose);
  if (!handler) throw new Error(`no kiosk act handles the ${purpose} door`);
  return handler;
}
