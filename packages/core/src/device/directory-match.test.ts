import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchDirectoryDevices, type DirectoryDevice, type InventoryDevice } from './directory-match.js';

const cubby: InventoryDevice[] = [
  { id: 'a', serial: '5CD1', assetTag: 'LN-1' },
  { id: 'b', serial: null, assetTag: 'LN-2' },
  { id: 'c', serial: '5CD3', assetTag: 'LN-3' },
];

describe('matching directory devices to Cubby’s', () => {
  it('by serial first, then by asset tag, trimmed and in any case; the rest is reported both ways', () => {
    const google: DirectoryDevice[] = [
      { directoryId: 'g1', serial: ' 5cd1 ', assetTag: 'LN-9' },
      { directoryId: 'g2', serial: 'X', assetTag: 'ln-2' },
      { directoryId: 'g3', serial: 'Y', assetTag: null },
    ];
    const m = matchDirectoryDevices(cubby, google);
    expect(m.matched.map((x) => [x.entry.directoryId, x.deviceId, x.by])).toEqual([
      ['g1', 'a', 'serial'],
      ['g2', 'b', 'assetTag'],
    ]);
    expect(m.onlyInDirectory.map((d) => d.directoryId)).toEqual(['g3']);
    expect(m.onlyInCubby.map((d) => d.id)).toEqual(['c']);
  });

  it('a second directory entry for a device already matched is a duplicate, not applied', () => {
    const m = matchDirectoryDevices(cubby, [
      { directoryId: 'g1', serial: '5CD1', assetTag: null },
      { directoryId: 'g2', serial: null, assetTag: 'LN-1' },
    ]);
    expect(m.matched).toHaveLength(1);
    expect(m.duplicates.map((d) => d.directoryId)).toEqual(['g2']);
  });

  it('every entry lands in exactly one bucket and every Cubby device is matched at most once', () => {
    const id = fc.constantFrom('1', '2', '3', '4', null);
    fc.assert(
      fc.property(
        fc.array(fc.record({ directoryId: fc.uuid(), serial: id, assetTag: id })),
        fc.uniqueArray(fc.record({ id: fc.uuid(), serial: id, assetTag: fc.constantFrom('1', '2', '5') }), {
          selector: (d) => d.id,
        }),
        (directory, inventory) => {
          const m = matchDirectoryDevices(inventory, directory);
          expect(m.matched.length + m.onlyInDirectory.length + m.duplicates.length).toBe(directory.length);
          const ids = m.matched.map((x) => x.deviceId);
          expect(new Set(ids).size).toBe(ids.length);
          expect(m.onlyInCubby.length + ids.length).toBe(inventory.length);
        },
      ),
    );
  });
});
