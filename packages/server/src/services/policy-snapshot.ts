import { loanersAtStation, offlineCredentials } from '@cubby/db';
import { policySnapshotSigningInput, type PolicySnapshotMessage } from '@cubby/protocol';
import { signWithStationKey, stationCredentialHash } from '@cubby/protocol/offline-keys';
import { stationContext, type Services } from './deps.js';

export type PolicySnapshotBody = Omit<PolicySnapshotMessage, 'v' | 'id'>;

/**
 * What a station may decide alone while its link is down: who may borrow
 * (credentials keyed with this station's key, so a stolen kiosk's list is no
 * use anywhere else and names nobody), how many loans each has open, the
 * district's limit, how many loaners it may hand out per outage, and which
 * of its doors hold a loaner. Signed with the station's key.
 */
export async function buildPolicySnapshot(services: Services, stationId: string, now = Date.now()): Promise<PolicySnapshotBody> {
  const db = services.cubby.db;
  const ctx = await stationContext(services.cubby, stationId);
  const stationKey = services.keys.stationOfflineKey(stationId);
  const [people, loaners] = await Promise.all([
    offlineCredentials(db, ctx.districtId, ctx.siteId),
    loanersAtStation(db, stationId),
  ]);
  const body = {
    issuedAt: now,
    maxActiveLoans: ctx.policy.maxActiveLoans,
    offlineBorrowLimit: services.config.offlineBorrowLimit,
    credentials: people.map((p) => ({
      hash: stationCredentialHash(stationKey, p.offlineBadgeHash),
      personId: p.personId,
      openLoans: p.openLoans,
    })),
    // Only loaners charged enough to lend online may go out offline too.
    loaners: loaners
      .filter((l) => Number(l.battery) >= ctx.policy.minChargePercent)
      .map((l) => ({ compartment: Number(l.number), deviceId: l.deviceId, battery: Number(l.battery) })),
  };
  return {
    type: 'policy_snapshot',
    ...body,
    signature: signWithStationKey(stationKey, policySnapshotSigningInput(stationId, body)),
  };
}
