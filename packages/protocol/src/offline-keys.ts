import { createHmac } from 'node:crypto';
import { normaliseBadge } from '@cubby/core';

/*
 * The keyed hashes of offline mode, shared by server and station so both
 * compute the same bytes. Node-only (node:crypto), hence a separate entry
 * point: the kiosk web app imports the message schemas, never this.
 */

/** What a station computes from a scanned badge with the installation's offline badge key. */
export function offlineBadgeHash(badgeKey: string, rawBadge: string): string {
  return createHmac('sha256', badgeKey)
    .update(`badge:${normaliseBadge(rawBadge)}`)
    .digest('base64url');
}

/** A credential as one station's snapshot lists it: keyed with that station's key, useless elsewhere. */
export function stationCredentialHash(stationKey: string, offlineHash: string): string {
  return createHmac('sha256', stationKey).update(`credential:${offlineHash}`).digest('base64url');
}

/** The signature of a policy snapshot (see `policySnapshotSigningInput`). */
export function signWithStationKey(stationKey: string, text: string): string {
  return createHmac('sha256', stationKey).update(text).digest('base64url');
}
