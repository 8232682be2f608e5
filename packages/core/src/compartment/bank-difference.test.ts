import { describe, expect, it } from 'vitest';
import { bankDifference, bankDifferenceKind } from './bank-difference.js';

describe("the bank check's comparison", () => {
  const loaner = { number: 4, status: 'loaded', device: { assetTag: 'CB-1234' } };
  const empty = { number: 5, status: 'empty', device: null };

  it.each([
    ['a recorded device that is there', loaner, true, null],
    ['an empty door that reads empty', empty, false, null],
    ['a recorded device that is gone', loaner, false, { compartment: 4, recordedAssetTag: 'CB-1234', sensed: false }],
    ['something inside a door recorded empty', empty, true, { compartment: 5, recordedAssetTag: null, sensed: true }],
    [
      'a loaded door with no device on record that reads empty',
      { number: 6, status: 'loaded', device: null },
      false,
      { compartment: 6, recordedAssetTag: null, sensed: false },
    ],
    [
      'a loaded door with no device on record that reads something',
      { number: 7, status: 'loaded', device: null },
      true,
      { compartment: 7, recordedAssetTag: null, sensed: true },
    ],
  ] as const)('%s', (_name, door, sensed, expected) => {
    expect(bankDifference(door, sensed)).toEqual(expected);
  });

  it('names each difference by its kind', () => {
    expect(bankDifferenceKind({ sensed: false })).toBe('missing');
    expect(bankDifferenceKind({ sensed: true })).toBe('unrecorded');
  });
});
