/**
 * What the slow credential hash of offline snapshots costs (docs/security.md):
 * one hash, as a kiosk pays per badge scan and an attacker per badge number
 * tried, and a campus of 2,000 people, as the server pays once per station
 * per salt (two at a time, as credential-hashes.ts runs them).
 * Run: npx tsx bench/src/offline-credential-cost.ts
 */
import { newCredentialHashing, snapshotCredentialHash } from '@cubby/protocol/offline-keys';

const hashing = newCredentialHashing();
const samples = 20;
const t0 = performance.now();
for (let i = 0; i < samples; i++) await snapshotCredentialHash(`badge-${i}`, hashing);
const oneMs = (performance.now() - t0) / samples;

const people = Number(process.argv[2] ?? 2000);
const t1 = performance.now();
const queue = Array.from({ length: people }, (_, i) => `person-${i}`);
await Promise.all(
  [0, 1].map(async () => {
    for (let next = queue.pop(); next; next = queue.pop()) await snapshotCredentialHash(next, hashing);
  }),
);
const campusS = (performance.now() - t1) / 1000;
const badgeSpace = 10_000_000;
console.log(
  JSON.stringify({
    cost: { n: hashing.n, r: hashing.r, p: hashing.p },
    oneHashMs: Math.round(oneMs),
    campus: { people, seconds: Math.round(campusS) },
    attacker: { badgeSpace, coreHours: Math.round((badgeSpace * oneMs) / 3_600_000) },
  }),
);
