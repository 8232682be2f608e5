import { rankLoaners, withEstimatedCharge, type ChargeFacts, type LoanerCandidate } from '@cubby/core';
import {
  lastReplayedSeq,
  latestSentSnapshot,
  loanerCandidates,
  newId,
  offlineCredentials,
  recordSentSnapshot,
  type SentSnapshot,
} from '@cubby/db';
import {
  policySnapshotSigningInput,
  type CredentialHashing,
  type PolicySnapshotMessage,
  type SnapshotChargeFacts,
  type SnapshotLoaner,
} from '@cubby/protocol';
import { defaultCredentialCost, newCredentialHashing, signWithStationKey } from '@cubby/protocol/offline-keys';
import { createHash } from 'node:crypto';
import { credentialHash } from './credential-hashes.js';
import { stationContext, transact, type Services, type StationPolicyContext } from './deps.js';

export type PolicySnapshotBody = Omit<PolicySnapshotMessage, 'v' | 'id'>;

/**
 * What a station may decide alone while its link is down: who may borrow
 * (only the people who can plausibly stand at it, each as a slow, salted hash
 * of their badge, and no names), how many loans each has open, the district's
 * limit and charge floor, how many loaners it may hand out per outage, and
 * which of its doors hold a loaner (with how worn each is). Signed with the
 * station's key, and recorded (`policy_snapshots`) so a replayed journal is
 * checked against what was really sent.
 */
export async function buildPolicySnapshot(services: Services, stationId: string, now = Date.now()): Promise<PolicySnapshotBody> {
  const db = services.cubby.db;
  const ctx = await stationContext(services.cubby, stationId);
  const since = now - services.config.offlineRecentDays * 86_400_000;
  const [people, loaners, latest, replayedSeq] = await Promise.all([
    offlineCredentials(db, { districtId: ctx.districtId, siteId: ctx.siteId, stationId, since }),
    loanerCandidates(db, stationId),
    latestSentSnapshot(db, stationId),
    lastReplayedSeq(db, stationId),
  ]);
  // Lendable loaners first, in the order core would lend them; then those still charging on a powered
  // charger, which the station may lend once its own estimate (the same core function) reaches the floor.
  const estimated = withEstimatedCharge(loaners, now, ctx.charge);
  const lendable = rankLoaners(estimated, ctx.policy.minChargePercent);
  const charging = estimated.filter((l) => !lendable.includes(l) && l.charge.poweredSince != null);
  const ranked = [...lendable, ...charging];
  const hashing = saltFor(services, latest, now);
  const credentials = await Promise.all(
    people.map(async (p) => ({
      hash: await credentialHash(p.offlineBadgeHash, hashing),
      personId: p.personId,
      openLoans: p.openLoans,
    })),
  );
  // The record keeps each hash too, so a replay checks a credential without paying scrypt again.
  const sent = await recordSnapshot(services, {
    stationId,
    now,
    latest,
    ctx,
    replayedSeq,
    hashing,
    people: Object.fromEntries(credentials.map((c) => [c.personId, [c.openLoans, c.hash]])),
    loaners: ranked.map((l) => [l.compartmentNumber, l.deviceId]),
  });
  const body = {
    snapshotId: sent.id,
    issuedAt: now,
    maxActiveLoans: sent.maxActiveLoans,
    minChargePercent: ctx.policy.minChargePercent,
    offlineBorrowLimit: sent.offlineBorrowLimit,
    hashing: publicHashing(sent.hashing),
    credentials,
    loaners: ranked.map(snapshotLoaner),
    chargeEstimate: ctx.charge,
  };
  const stationKey = services.keys.stationOfflineKey(stationId);
  return {
    type: 'policy_snapshot',
    ...body,
    signature: signWithStationKey(stationKey, policySnapshotSigningInput(stationId, body)),
  };
}

type StoredHashing = CredentialHashing & { saltedAt: number };

/**
 * The station's latest record if nothing it may do has changed, else a new
 * one. The salt is kept for `offlineSaltHours` (so the slow hashes are paid
 * once per person per salt) and then replaced, so a stolen disk's hashes are
 * worth nothing against the next day's snapshots.
 */
async function recordSnapshot(
  services: Services,
  s: {
    stationId: string;
    now: number;
    latest: SentSnapshot | undefined;
    ctx: StationPolicyContext;
    replayedSeq: number;
    hashing: StoredHashing;
    people: SentSnapshot['people'];
    loaners: [number, string][];
  },
): Promise<SentSnapshot> {
  const content = {
    hashing: s.hashing,
    maxActiveLoans: s.ctx.policy.maxActiveLoans,
    offlineBorrowLimit: services.config.offlineBorrowLimit,
    people: s.people,
    loaners: s.loaners,
  };
  // A replayed journal starts a new record even when the rest looks the same, so the
  // limits counted under a record never carry one outage's borrows into the next.
  const digest = createHash('sha256')
    .update(JSON.stringify([content, s.replayedSeq]))
    .digest('base64url');
  // Sent again unchanged (the periodic snapshot, a battery reading): no write.
  if (s.latest && s.latest.digest === digest) return s.latest;
  const record: SentSnapshot = { id: newId(), stationId: s.stationId, digest, createdAt: s.now, ...content };
  await transact(services, (tx) => recordSentSnapshot(tx.db, record));
  return record;
}

/** The station's current salt while it is younger than `offlineSaltHours`, else a new one. */
function saltFor(services: Services, latest: SentSnapshot | undefined, now: number): StoredHashing {
  const previous = latest?.hashing as StoredHashing | undefined;
  const fresh =
    previous && previous.n === defaultCredentialCost.n && now - previous.saltedAt < services.config.offlineSaltHours * 3_600_000;
  return fresh ? previous : { ...newCredentialHashing(), saltedAt: now };
}

function publicHashing(h: SentSnapshot['hashing']): CredentialHashing {
  return { salt: h.salt, n: h.n, r: h.r, p: h.p };
}

function snapshotLoaner(l: LoanerCandidate & { charge: ChargeFacts }): SnapshotLoaner {
  const { model, reported, poweredSince, sensed } = l.charge;
  const charge: SnapshotChargeFacts = {
    ...(model ? { model } : {}),
    ...(reported ? { reported } : {}),
    ...(poweredSince != null ? { poweredSince } : {}),
    ...(sensed ? { sensed } : {}),
  };
  return {
    compartment: l.compartmentNumber,
    deviceId: l.deviceId,
    battery: l.batteryPercent,
    charge,
    ...(l.loanCount > 0 ? { loanCount: l.loanCount } : {}),
    ...(l.lastLoanedAt !== null ? { lastLoanedAt: l.lastLoanedAt } : {}),
  };
}
