import { checkLoanLimit } from '@cubby/core';
import type { Executor, LoanerCandidateFacts } from '@cubby/db';
import type { KioskChoice, KioskChoices } from '@cubby/protocol';
import type { StationPolicyContext } from '../deps.js';
import { nearbyLoaners, rankLendable } from './loaners.js';

/** What a sign-in knows of the person that the refusals depend on. */
export interface ChoicesOf {
  openLoans: number;
  ownDeviceId: string | null;
  /** The station's loaners as the sign-in read them (findKioskPerson). */
  loanerCandidates: LoanerCandidateFacts[];
}

const allowed: KioskChoice = { allowed: true };
const refused = (code: string, nearby?: KioskChoice['nearby']): KioskChoice => ({
  allowed: false,
  refusedFor: code,
  ...(nearby ? { nearby } : {}),
});

/**
 * What the menu may offer, decided by the rules the acts apply when they
 * start (borrow.ts's loan limit, loaners.ts's charge floor), so a refusal is
 * shown on the menu rather than one screen late. The acts still check again:
 * this is what was true at sign-in.
 */
export async function kioskChoices(
  { db, now }: { db: Executor; now: number },
  ctx: StationPolicyContext,
  person: ChoicesOf,
): Promise<KioskChoices> {
  const overLimit = checkLoanLimit(person.openLoans, ctx.policy);
  const lendable = rankLendable(person.loanerCandidates, now, ctx.policy.minChargePercent, ctx.charge).length > 0;
  // Where a loaner is, asked only when there is none here (one more statement then).
  const nearby = lendable ? undefined : await nearbyLoaners(db, ctx, now);
  const borrow = overLimit ? refused(overLimit.code) : lendable ? allowed : refused('no_loaner_available', nearby);
  if (!person.ownDeviceId) return { borrow, swap: refused('no_device_on_record'), dropOff: refused('no_device_on_record') };
  const swap = overLimit ? refused(overLimit.code) : borrow;
  return { borrow, swap, dropOff: nearby ? { allowed: true, nearby } : allowed };
}
