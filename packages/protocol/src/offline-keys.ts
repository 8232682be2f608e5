import { createHmac, randomBytes, scrypt } from 'node:crypto';
import { normaliseBadge } from '@cubby/core';
import type { CredentialHashing } from './messages.js';

/*
 * The keyed and slow hashes of offline mode, shared by server and station so
 * both compute the same bytes. Node-only (node:crypto), hence a separate entry
 * point: the kiosk web app imports the message schemas, never this.
 */

/** What a station computes from a scanned badge with the installation's offline badge key. */
export function offlineBadgeHash(badgeKey: string, rawBadge: string): string {
  return createHmac('sha256', badgeKey)
    .update(`badge:${normaliseBadge(rawBadge)}`)
    .digest('base64url');
}

/**
 * scrypt's cost for the snapshot's credentials: N = 2^14, r = 8, p = 1 (16 MiB
 * of memory and some 40–100 ms of one core per hash). Badge numbers are short,
 * so this cost, paid for every number tried, is what a copy of a kiosk's disk
 * is worth (docs/security.md gives the arithmetic).
 */
export const defaultCredentialCost = { n: 1 << 14, r: 8, p: 1 } as const;

/** Fresh hashing parameters: a new random salt (16 bytes) at the given cost. */
export function newCredentialHashing(cost: { n: number; r: number; p: number } = defaultCredentialCost): CredentialHashing {
  return { salt: randomBytes(16).toString('base64url'), ...cost };
}

/**
 * A credential as one snapshot lists it: scrypt of the badge's offline hash
 * with the snapshot's salt. Runs on libuv's thread pool, so a server building
 * a snapshot and a kiosk checking a badge keep serving meanwhile.
 */
export function snapshotCredentialHash(offlineHash: string, hashing: CredentialHashing): Promise<string> {
  const { n, r, p } = hashing;
  return new Promise((resolve, reject) =>
    scrypt(
      `credential:${offlineHash}`,
      `cubby-snapshot:${hashing.salt}`,
      32,
      { N: n, r, p, maxmem: 256 * n * r * p },
      (error, key) => (error ? reject(error) : resolve(key.toString('base64url'))),
    ),
  );
}

/** The signature of a policy snapshot (see `policySnapshotSigningInput`). */
export function signWithStationKey(stationKey: string, text: string): string {
  return createHmac('sha256', stationKey).update(text).digest('base64url');
}
