import pLimit from 'p-limit';
import type { CredentialHashing } from '@cubby/protocol';
import { snapshotCredentialHash } from '@cubby/protocol/offline-keys';

/**
 * The slow credential hashes of policy snapshots, remembered per (salt,
 * badge): a station's salt lives for `offlineSaltHours`, so each person costs
 * the server one scrypt per station per salt, not one per snapshot sent.
 * In memory only: a restarted server pays again, once.
 */
const remembered = new Map<string, Promise<string>>();
const maxRemembered = 100_000;

/*
 * At most two scrypt jobs at a time: libuv's pool has four threads, shared
 * with file I/O and the password hashes of dashboard sign-in, which must not
 * queue behind a campus's worth of snapshot credentials.
 */
const limited = pLimit(2);

export function credentialHash(offlineHash: string, hashing: CredentialHashing): Promise<string> {
  const key = `${hashing.salt}:${hashing.n}:${hashing.r}:${hashing.p}:${offlineHash}`;
  const known = remembered.get(key);
  if (known) return known;
  if (remembered.size >= maxRemembered) remembered.delete(remembered.keys().next().value!);
  const hash = limited(() => snapshotCredentialHash(offlineHash, hashing));
  remembered.set(key, hash);
  hash.catch(() => remembered.delete(key));
  return hash;
}
