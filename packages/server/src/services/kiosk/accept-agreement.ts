import { acceptAgreement } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import type { KioskAct, Start } from './act.js';

type AcceptAgreement = Extract<KioskAction, { kind: 'accept_agreement' }>;

/** A first-time borrower accepts the loaner agreement; opens no door. */
export async function startAcceptAgreement(s: Start): Promise<{ accepted: true }> {
  // Accepting again (or a replayed message) keeps the first acceptance and its audit event.
  if (s.agreementAcceptedAt === null) {
    await acceptAgreement(s.tx.db, s.personId, s.tx.now);
    s.tx.audit({
      actorType: 'person',
      actorId: s.personId,
      action: 'person.agreement_accepted',
      entityType: 'person',
      entityId: s.personId,
      stationId: s.ctx.stationId,
    });
  }
  return { accepted: true };
}

export const acceptAgreementAct: KioskAct<AcceptAgreement> = { kind: 'accept_agreement', start: startAcceptAgreement };
