import { rankLoaners, type LoanerCandidate } from '@cubby/core';
import { loanerCandidates, offlineCredentials } from '@cubby/db';
import { policySnapshotSigningInput, type PolicySnapshotMessage, type SnapshotLoaner } from '@cubby/protocol';
import { signWithStationKey, stationCredentialHash } from '@cubby/protocol/offline-keys';
import { stationContext, type Services } from './deps.js';

export type PolicySnapshotBody = Omit<PolicySnapshotMessage, 'v' | 'id'>;

/**
 * What a station may decide alone while its link is down: who may borrow
 * (credentials keyed with this station's key, so a stolen kiosk's list is no
 * use anywhere else and names nobody), how many loans each has open, the
 * district's limit and charge floor, how many loaners it may hand out per outage, and which
 * of its doors hold a loaner (with how worn each is). Signed with the station's key.
 */
export async function buildPolicySnapshot(services: Services, stationId: string, now = Date.now()): Promise<PolicySnapshotBody> {
  const db = services.cubby.db;
  const ctx = await stationContext(services.cubby, stationId);
  const stationKey = services.keys.stationOfflineKey(stationId);
  const [people, loaners] = await Promise.all([
    offlineCredentials(db, ctx.districtId, ctx.siteId),
    loanerCandidates(db, stationId),
  ]);
  const body = {
    issuedAt: now,
    maxActiveLoans: ctx.policy.maxActiveLoans,
    minChargePercent: ctx.policy.minChargePercent,
    offlineBorrowLimit: services.config.offlineBorrowLimit,
    credentials: people.map((p) => ({
      hash: stationCredentialHash(stationKey, p.offlineBadgeHash),
      personId: p.personId,
      openLoans: p.openLoans,
    })),
    // Only loaners charged enough to lend online may go out offline too, in the order core would lend them.
    loaners: rankLoaners(loaners, ctx.policy.minChargePercent).map(snapshotLoaner),
  };
  return {
    type: 'policy_snapshot',
    ...body,
    signature: signWithStationKey(stationKey, policySnapshotSigningInput(stationId, body)),
  };
}

function snapshotLoaner(l: LoanerCandidate): SnapshotLoaner {
  return {
    compartment: l.compartmentNumber,
    deviceId: l.deviceId,
    battery: l.batteryPercent,
    ...(l.loanCount > 0 ? { loanCount: l.loanCount } : {}),
    ...(l.lastLoanedAt !== null ? { lastLoanedAt: l.lastLoanedAt } : {}),
  };
}
