import type { CubbyDb } from '@cubby/db';
import type { Keys } from '../../secrets.js';
import { aDistrict, aLoaner, aPastVisit, aStation, aStudent } from '../builders.js';

export interface FaultStationSpec {
  stationId: string;
  token: string;
  doors: number;
  /** Doors holding a loaner at the start: the first ones. */
  loaded: number[];
  badges: string[];
}

/**
 * A district for the fault scenarios: stations with loaners behind their first
 * doors and students of their own; one open loan per student, every charge
 * good enough, so refusals come from the state of things, not from policy.
 */
export async function aFaultDistrict(
  cubby: CubbyDb,
  keys: Keys,
  options: { stations: number; doors?: number; loaners?: number; students?: number },
): Promise<FaultStationSpec[]> {
  const { districtId, siteId } = await aDistrict(cubby, { policy: { maxActiveLoans: 1, minChargePercent: 0 } });
  const doors = options.doors ?? 8;
  const loaners = options.loaners ?? 4;
  const specs: FaultStationSpec[] = [];
  for (let i = 0; i < options.stations; i++) {
    const station = await aStation(cubby, siteId, { name: `Faults ${i + 1}`, compartments: doors });
    for (let n = 0; n < loaners; n++) await aLoaner(cubby, districtId, station.compartments[n]!.id, { charge: 90 });
    const badges: string[] = [];
    for (let s = 0; s < (options.students ?? 3); s++) {
      const student = await aStudent(cubby, keys, districtId);
      await aPastVisit(cubby, station.stationId, student.personId); // so the station knows them offline from the start
      badges.push(student.badge);
    }
    specs.push({
      stationId: station.stationId,
      token: station.token,
      doors,
      loaded: Array.from({ length: loaners }, (_, n) => n + 1),
      badges,
    });
  }
  return specs;
}
