import { rankLoaners } from '@cubby/core';
import { loanerCandidates, moveDevice, reserveCompartment, type Tx } from '@cubby/db';
import { announceCompartment } from './deps.js';

/**
 * Claims the best loaner at a station for a transaction: the device moves
 * available → on_loan and its compartment loaded → reserved, each by a
 * conditional update, so a loaner another kiosk claimed first is skipped.
 */
export async function claimLoaner(
  tx: Tx,
  stationId: string,
  minChargePercent: number,
  transactionId: string,
  commandId: string | null,
) {
  const ranked = rankLoaners(await loanerCandidates(tx.db, stationId), minChargePercent);
  for (const candidate of ranked) {
    const { compartmentId } = candidate;
    if (!(await moveDevice(tx.db, candidate.deviceId, 'available', 'on_loan', tx.now))) continue;
    if (
      !(await reserveCompartment(tx.db, {
        id: compartmentId,
        from: 'loaded',
        transactionId,
        purpose: 'take_loaner',
        commandId,
        now: tx.now,
      }))
    ) {
      await moveDevice(tx.db, candidate.deviceId, 'on_loan', 'available', tx.now);
      continue;
    }
    announceCompartment(tx, stationId, { id: compartmentId, number: candidate.compartmentNumber }, 'reserved');
    return { deviceId: candidate.deviceId, compartmentId, compartmentNumber: candidate.compartmentNumber };
  }
  return undefined;
}
