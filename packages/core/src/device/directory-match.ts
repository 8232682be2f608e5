/**
 * Matching a directory's devices (Google Admin's Chrome OS devices) to Cubby's:
 * by serial number first, then by asset tag (Google's `annotatedAssetId`).
 * Serials and tags are compared trimmed and case-insensitively: consoles and
 * spreadsheets disagree on case. Nothing is created: what does not match is
 * reported, so a person decides whether it is a loaner Cubby should know.
 */
export interface DirectoryDevice {
  directoryId: string;
  serial: string | null;
  assetTag: string | null;
}

export interface InventoryDevice {
  id: string;
  serial: string | null;
  assetTag: string;
}

export interface DirectoryMatch<D extends DirectoryDevice> {
  matched: { deviceId: string; by: 'serial' | 'assetTag'; entry: D }[];
  /** In the directory, not in Cubby. */
  onlyInDirectory: D[];
  /** In Cubby, not in the directory. */
  onlyInCubby: InventoryDevice[];
  /** Two directory entries that name one Cubby device: the later ones are not applied. */
  duplicates: D[];
}

const keyOf = (value: string | null | undefined) => {
  const k = value?.trim().toUpperCase();
  return k ? k : null;
};

function indexBy(devices: readonly InventoryDevice[], field: 'serial' | 'assetTag') {
  const index = new Map<string, InventoryDevice>();
  for (const d of devices) {
    const k = keyOf(d[field]);
    if (k && !index.has(k)) index.set(k, d);
  }
  return index;
}

export function matchDirectoryDevices<D extends DirectoryDevice>(
  inventory: readonly InventoryDevice[],
  directory: readonly D[],
): DirectoryMatch<D> {
  const bySerial = indexBy(inventory, 'serial');
  const byTag = indexBy(inventory, 'assetTag');
  const taken = new Set<string>();
  const result: DirectoryMatch<D> = { matched: [], onlyInDirectory: [], onlyInCubby: [], duplicates: [] };
  for (const entry of directory) {
    const serialKey = keyOf(entry.serial);
    const tagKey = keyOf(entry.assetTag);
    const bySerialHit = serialKey ? bySerial.get(serialKey) : undefined;
    const hit = bySerialHit ?? (tagKey ? byTag.get(tagKey) : undefined);
    if (!hit) result.onlyInDirectory.push(entry);
    else if (taken.has(hit.id)) result.duplicates.push(entry);
    else {
      taken.add(hit.id);
      result.matched.push({ deviceId: hit.id, by: bySerialHit ? 'serial' : 'assetTag', entry });
    }
  }
  result.onlyInCubby = inventory.filter((d) => !taken.has(d.id));
  return result;
}
