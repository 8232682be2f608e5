import { newId } from '@cubby/db';

/** Assigned Chromebooks without an owner, waiting for repair: asset tags `from` up to `to`. */
export function spareDevices(input: { districtId: string; siteIds: string[]; from: number; to: number; now: number }) {
  const { districtId, siteIds, now } = input;
  const devices = [];
  for (let i = input.from; i < input.to; i++) {
    devices.push({
      id: newId(),
      district_id: districtId,
      site_id: siteIds[i % siteIds.length]!,
      asset_tag: `CB-${String(10_000 + i)}`,
      serial: null,
      model: 'Dell Chromebook 3110',
      pool: 'assigned' as const,
      owner_id: null,
      status: 'in_repair' as const,
      condition: 'needs repair',
      battery_percent: 50,
      loan_count: 0,
      last_loaned_at: null,
      warranty_end: null,
      created_at: now,
      updated_at: now,
    });
  }
  return devices;
}

export interface LoanerPoolInput {
  districtId: string;
  stationIds: string[];
  perStation: number;
  compartmentsPerStation: number;
  random: () => number;
  now: number;
}

/**
 * Each station's loaners: most stocked behind its first doors, the rest in repair,
 * so three doors per station stay empty for returns, swaps and charging. The
 * stocked ones sit on their doors' chargers from the seed on (stockCompartment).
 */
export function demoLoanerPool({ districtId, stationIds, perStation, compartmentsPerStation, random, now }: LoanerPoolInput) {
  const devices = [];
  const placements: { deviceId: string; stationId: string; number: number }[] = [];
  const homes: { id: string; stationId: string }[] = [];
  let loanerNumber = 0;
  for (const stationId of stationIds) {
    for (let n = 0; n < perStation; n++) {
      loanerNumber += 1;
      const id = newId();
      const stocked = n < compartmentsPerStation - 3;
      devices.push({
        id,
        district_id: districtId,
        site_id: null,
        asset_tag: `LN-${String(loanerNumber).padStart(4, '0')}`,
        serial: null,
        model: 'Dell Chromebook 3110',
        pool: 'loaner' as const,
        owner_id: null,
        status: (stocked ? 'available' : 'in_repair') as 'available' | 'in_repair',
        condition: 'good',
        // A mix of levels, some under the charge floor, so the banks are seen charging back into lending.
        battery_percent: Math.floor(10 + random() * 90),
        // Every third loaner came back with no reading (a lock-only board): the estimate starts from the default.
        battery_measured_at: n % 3 === 2 ? null : now,
        loan_count: Math.floor(random() * 30),
        last_loaned_at: null,
        warranty_end: null,
        created_at: now,
        updated_at: now,
      });
      if (stocked) placements.push({ deviceId: id, stationId, number: n + 1 });
      homes.push({ id, stationId });
    }
  }
  return { devices, placements, homes };
}
