import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

/** Rebuilds a value with every object's keys inserted in an order drawn from `seed`. */
function reorderKeys(value: unknown, seed: number): unknown {
  if (Array.isArray(value)) return value.map((v, i) => reorderKeys(v, seed + i));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  let state = seed >>> 0 || 1;
  const shuffled = entries
    .map((entry) => {
      state = (state * 1_103_515_245 + 12_345) >>> 0;
      return { entry, rank: state };
    })
    .sort((a, b) => a.rank - b.rank)
    .map(({ entry: [k, v] }, i) => [k, reorderKeys(v, seed + i + 1)] as const);
  // defineProperty, not assignment, so a "__proto__" key stays an own data property.
  const out = {};
  for (const [k, v] of shuffled)
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

/** An independent oracle: JSON.stringify of a copy whose keys were inserted in sorted order. */
function sortedStringify(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/** Prefixes every key so none looks like an array index (JS would list those first whatever their insertion order). */
function withWordKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withWordKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [`k${k}`, withWordKeys(v)]));
}

/** JSON values as an audit event carries them (no -0: JSON itself cannot tell it from 0). */
const aJsonValue = fc.jsonValue().map((v) => JSON.parse(JSON.stringify(v)) as unknown);

describe('canonicalJson', () => {
  it('writes keys sorted and no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 0, y: -1.5 } })).toBe(
      '{"a":[true,null,"x"],"b":1,"c":{"y":-1.5,"z":0}}',
    );
  });

  it('sorts keys by UTF-16 code unit, so upper case comes before lower case and accents last', () => {
    expect(canonicalJson({ é: 1, b: 2, B: 3, a: 4, '10': 5, '9': 6 })).toBe('{"10":5,"9":6,"B":3,"a":4,"b":2,"é":1}');
  });

  it('the order keys were inserted in never changes the output', () => {
    fc.assert(
      fc.property(aJsonValue, fc.integer(), (value, seed) => {
        expect(canonicalJson(reorderKeys(value, seed))).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips through JSON.parse to a deep-equal value', () => {
    fc.assert(
      fc.property(aJsonValue, (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it('a value read back from storage hashes to the same text it was written with', () => {
    fc.assert(
      fc.property(aJsonValue, (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(JSON.parse(JSON.stringify(value)))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with JSON.stringify of the same value with its keys inserted in sorted order', () => {
    fc.assert(
      fc.property(aJsonValue.map(withWordKeys), (value) => {
        expect(canonicalJson(value)).toBe(sortedStringify(value));
      }),
      { numRuns: 300 },
    );
  });

  it('drops undefined properties at every depth, as JSON.stringify does', () => {
    expect(canonicalJson({ a: 1, b: undefined, c: { d: undefined, e: [1] } })).toBe('{"a":1,"c":{"e":[1]}}');
    expect(canonicalJson({ gone: undefined })).toBe('{}');
  });

  it('writes undefined inside an array, or on its own, as null', () => {
    expect(canonicalJson([1, undefined, 2])).toBe('[1,null,2]');
    expect(canonicalJson(undefined)).toBe('null');
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])('rejects %s rather than writing null', (bad) => {
    expect(() => canonicalJson(bad)).toThrow(TypeError);
    expect(() => canonicalJson({ data: { charge: [1, bad] } })).toThrow(TypeError);
  });

  it('rejects a non-finite number hidden anywhere in a value', () => {
    fc.assert(
      fc.property(aJsonValue, fc.constantFrom(Number.NaN, Infinity, -Infinity), fc.string(), (value, bad, key) => {
        expect(() => canonicalJson({ value, nested: [{ [key]: bad }] })).toThrow(TypeError);
      }),
    );
  });
});
