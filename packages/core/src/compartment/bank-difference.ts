/**
 * The bank check's one comparison: what the records say is behind a door
 * against what its presence sensor reads. Every technician check (the
 * sensor-only bank check, a door opened with a reason, a bank check opening
 * each door) reports its differences in these words.
 */
export const bankDifferenceKinds = [
  'missing', // the records expect something inside (a device, or a loaded door) and the sensor reads empty
  'unrecorded', // the sensor reads something inside and the records know no device there
] as const;
export type BankDifferenceKind = (typeof bankDifferenceKinds)[number];

export interface BankDifference {
  compartment: number;
  /** The device the records expect behind the door (its asset tag), if any. */
  recordedAssetTag: string | null;
  /** Whether the sensor reads something inside. */
  sensed: boolean;
}

export interface DoorRecord {
  number: number;
  /** The door's recorded status: `loaded` expects something inside even with no device on record. */
  status: string;
  /** The device recorded behind the door (its asset tag; null for a device of no known tag). */
  device: { assetTag: string | null } | null;
}

export function bankDifferenceKind(d: Pick<BankDifference, 'sensed'>): BankDifferenceKind {
  return d.sensed ? 'unrecorded' : 'missing';
}

/** The difference between a door's records and its sensor, or null when they agree. */
export function bankDifference(door: DoorRecord, sensed: boolean): BankDifference | null {
  const expected = door.device !== null || door.status === 'loaded';
  const differs = sensed ? door.device === null : expected;
  return differs ? { compartment: door.number, recordedAssetTag: door.device?.assetTag ?? null, sensed } : null;
}
