import { DomainError } from '@cubby/core';
import { findKioskRequest } from '@cubby/db';
import type { KioskAction } from '@cubby/protocol';
import { stationContext, transact, withPolicy, type Services } from '../deps.js';
import { sessionOf } from '../kiosk-session.js';
import type { Started } from './act.js';
import { actFor } from './acts.js';

/**
 * A signed-in person asks a station for something. The act (acts.ts) decides
 * with core, claims doors and devices atomically, and the first unlock goes
 * out once the transaction commits.
 */
export async function startTransaction(
  services: Services,
  stationId: string,
  requestId: string,
  sessionToken: string,
  action: KioskAction,
): Promise<Started | { accepted: true }> {
  const session = sessionOf(services, stationId, sessionToken);
  const personId = session.personId;
  return transact(services, async (tx) => {
    const request = await findKioskRequest(tx.db, tx.dialect, { stationId, personId, requestId });
    if (!request) {
      await stationContext(tx, stationId); // an unknown station is not_found
      throw new DomainError('not_eligible');
    }
    // Signed out, or someone signed in at this station since: the token is spent.
    if (request.kioskSessionId !== session.sessionId) throw new DomainError('session_expired', 'Please scan your badge again');
    if (request.seen) throw new DomainError('replayed_message');
    if (request.personActive !== 1) throw new DomainError('not_eligible');
    const start = { tx, ctx: withPolicy(request), personId, requestId, agreementAcceptedAt: request.agreementAcceptedAt };
    return actFor(action.kind).start(start, action);
  });
}
