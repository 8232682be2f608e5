import type { EmailTemplate } from '@cubby/core';
import { hasEmailRecipient, type Tx } from '@cubby/db';

/** The job kind of every email (the delivery log lists these). */
export const emailJobKind = 'email';

/** What an email job carries: ids only, never a credential; the facts are read when it is sent. */
export interface EmailJobPayload {
  template: EmailTemplate;
  personId: string;
  stationId: string;
  /** When it happened (the kiosk transaction's time). */
  at: number;
  loanId?: string | null;
  ticketId?: string | null;
  compartment?: number | null;
  /** Set on a resend from the delivery log: the delivery it repeats. */
  resendOf?: string;
}

/**
 * Asks for an email in the caller's transaction (the outbox): it is written
 * with the loan or ticket change that causes it, or not at all. Nothing is
 * enqueued when the person has no address or the district's email is not
 * set up or turned off (docs/notifications.md); the key (template + what
 * it is about) keeps a replayed step from enqueueing twice.
 */
export async function enqueueEmail(tx: Tx, payload: Omit<EmailJobPayload, 'at'>): Promise<void> {
  if (!(await hasEmailRecipient(tx.db, payload.personId))) return;
  const about = payload.ticketId ?? payload.loanId ?? payload.personId;
  tx.enqueue(emailJobKind, { ...payload, at: tx.now }, { key: `email:${payload.template}:${about}` });
}
