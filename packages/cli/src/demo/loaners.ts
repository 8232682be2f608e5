import type { CsvRow } from './roster-files.js';

/** Assigned Chromebooks without an owner, waiting for repair: asset tags `from` up to `to`, as device CSV rows. */
export function spareDevices(input: { campusNames: string[]; from: number; to: number }): CsvRow[] {
  const devices: CsvRow[] = [];
  for (let i = input.from; i < input.to; i++) {
    devices.push({
      asset_tag: `CB-${String(10_000 + i)}`,
      model: 'Dell Chromebook 3110',
      pool: 'assigned',
      campus: input.campusNames[i % input.campusNames.length]!,
      condition: 'damaged',
    });
  }
  return devices;
}

export interface LoanerPoolInput {
  /** How many demo stations (in the order the seed makes them). */
  stations: number;
  perStation: number;
  compartmentsPerStation: number;
  random: () => number;
}

/** What the import does not carry of a loaner: where it sits (or that it is in repair), its battery and its loans so far. */
export interface LoanerState {
  assetTag: string;
  /** Its station's index among the demo stations. */
  station: number;
  /** The door it is stocked behind; none: in repair. */
  door: number | null;
  battery: number;
  /** A lock-only board gave no reading. */
  measured: boolean;
  loanCount: number;
}

/**
 * Each station's loaners: most stocked behind its first doors, the rest in repair,
 * so three doors per station stay empty for returns, swaps and charging. The
 * stocked ones sit on their doors' chargers from the seed on (stockCompartment).
 */
export function demoLoanerPool({ stations, perStation, compartmentsPerStation, random }: LoanerPoolInput) {
  const devices: CsvRow[] = [];
  const states: LoanerState[] = [];
  let loanerNumber = 0;
  for (let station = 0; station < stations; station++) {
    for (let n = 0; n < perStation; n++) {
      loanerNumber += 1;
      const assetTag = `LN-${String(loanerNumber).padStart(4, '0')}`;
      devices.push({ asset_tag: assetTag, model: 'Dell Chromebook 3110', pool: 'loaner', condition: 'good' });
      states.push({
        assetTag,
        station,
        door: n < compartmentsPerStation - 3 ? n + 1 : null,
        // A mix of levels, some under the charge floor, so the banks are seen charging back into lending.
        battery: Math.floor(10 + random() * 90),
        // Every third loaner came back with no reading (a lock-only board): the estimate starts from the default.
        measured: n % 3 !== 2,
        loanCount: Math.floor(random() * 30),
      });
    }
  }
  return { devices, states };
}
