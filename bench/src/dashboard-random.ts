/**
 * The seeded randomness of the dashboard district: the same seed gives the
 * same district, ids included, on every machine and both databases.
 */

/** mulberry32: small, fast and good enough to shuffle a district. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)]!,
    hex: (digits: number) => {
      let out = '';
      while (out.length < digits) out += ((next() * 4294967296) >>> 0).toString(16).padStart(8, '0');
      return out.slice(0, digits);
    },
  };
}
export type Random = ReturnType<typeof prng>;

/** A UUIDv7 for a row made at `ms`, as the product's newId() would have made it then. */
export function idAt(random: Random, ms: number): string {
  const t = Math.floor(ms).toString(16).padStart(12, '0');
  const r = random.hex(19);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${r.slice(0, 3)}-${'89ab'[parseInt(r[3]!, 16) & 3]}${r.slice(4, 7)}-${r.slice(7)}`;
}

export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random.int(i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
