import type { DevicePool } from '../device/device.js';
import { problem, type ImportProblem } from './problems.js';

/** A device as the inventory file states it, campus and owner resolved. */
export interface RosterDevice {
  assetTag: string;
  serial: string | null;
  model: string;
  pool: DevicePool;
  siteId: string | null;
  ownerId: string | null;
  purchaseDate: number | null;
  warrantyEnd: number | null;
  condition: string;
  notes: string | null;
  source: { file: string; line: number };
}

export interface KnownDevice extends Omit<RosterDevice, 'source'> {
  id: string;
  /** Only read: an import never changes a status (that is the kiosk's and the technicians' work). */
  status: string;
}

export type DeviceFields = Partial<Omit<RosterDevice, 'source'>>;

export interface DevicesPlan {
  create: (RosterDevice & { id: string })[];
  update: { id: string; fields: DeviceFields }[];
  unchanged: number;
  problems: ImportProblem[];
}

const compared = [
  'assetTag',
  'serial',
  'model',
  'pool',
  'siteId',
  'ownerId',
  'purchaseDate',
  'warrantyEnd',
  'condition',
  'notes',
] as const;

/** A device file planned row by row, so the rows as read are never held: only the plan's own. */
export interface DevicePlanner {
  /** Plans one row (in file order). */
  add(row: RosterDevice): void;
  /** The plan, once every row is in. */
  finish(): DevicesPlan;
}

/**
 * What a device file would do: a row is the device with its asset tag, or
 * else with its serial (a relabelled device keeps its history). A device file
 * never retires anything: a device missing from it is left alone.
 */
export function devicePlanner(known: readonly KnownDevice[], newId: () => string): DevicePlanner {
  const byTag = new Map<string, KnownDevice>();
  const bySerial = new Map<string, KnownDevice>();
  for (const d of known) {
    byTag.set(d.assetTag, d);
    if (d.serial !== null) bySerial.set(d.serial, d);
  }
  const plan: DevicesPlan = { create: [], update: [], unchanged: 0, problems: [] };
  const seenTags = new Map<string, number>();
  const seenSerials = new Map<string, number>();
  const matched = new Set<string>();
  const add = (row: RosterDevice) => {
    const at = (column: string, message: string) =>
      plan.problems.push(problem(row.source.file, row.source.line, column, message));
    const tagLine = seenTags.get(row.assetTag);
    if (tagLine !== undefined) {
      at('asset_tag', `asset tag '${row.assetTag}' is also on line ${tagLine}`);
      return;
    }
    seenTags.set(row.assetTag, row.source.line);
    if (row.serial !== null) {
      const serialLine = seenSerials.get(row.serial);
      if (serialLine !== undefined) at('serial', `serial '${row.serial}' is also on line ${serialLine}`);
      seenSerials.set(row.serial, row.source.line);
    }
    if (row.pool === 'loaner' && row.ownerId !== null) at('owner_student_number', 'a loaner has no owner');
    const device = byTag.get(row.assetTag) ?? (row.serial !== null ? bySerial.get(row.serial) : undefined);
    if (!device) {
      plan.create.push({ ...row, id: newId() });
      return;
    }
    if (matched.has(device.id)) {
      at('serial', `serial '${row.serial}' is the device of another row`);
      return;
    }
    matched.add(device.id);
    const fields: DeviceFields = {};
    for (const key of compared) if (device[key] !== row[key]) (fields as Record<string, unknown>)[key] = row[key];
    if (fields.pool !== undefined && device.status !== 'in_service')
      at(
        'pool',
        `device '${device.assetTag}' is ${device.status.replaceAll('_', ' ')}: its pool can change once it is back in service`,
      );
    if (fields.assetTag !== undefined && byTag.has(fields.assetTag))
      at('asset_tag', `asset tag '${fields.assetTag}' is already another device's`);
    if (Object.keys(fields).length) plan.update.push({ id: device.id, fields });
    else plan.unchanged++;
  };
  return { add, finish: () => plan };
}

/** A whole device file's plan at once (see `devicePlanner`). */
export function planDevices(known: readonly KnownDevice[], incoming: readonly RosterDevice[], newId: () => string): DevicesPlan {
  const planner = devicePlanner(known, newId);
  for (const row of incoming) planner.add(row);
  return planner.finish();
}
