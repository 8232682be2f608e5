import { exponential, seededRandom, TimeQueue } from './loaner-pool-simulation.js';

/**
 * A discrete-event simulation of one campus's lockers over a school term
 * (issue 17, `cubby simulate`): students who forgot or flattened their
 * device ask for a day loaner and bring it back at the end of the day;
 * students whose device broke swap it for a loaner, which they keep until
 * the repaired device is back; each transaction holds its station's kiosk
 * for a while, so a morning peak makes a line. Technicians collect the
 * broken devices once a day. For what-if questions ("10 more loaners at
 * Maple Valley") and sizing a campus before it has lockers. Pure: a seed
 * gives one run.
 *
 * Time runs in school days (day d is [d, d + 1)); within a day, minutes from
 * midnight. Nights and weekends do not exist: a loaner returned at the end
 * of a day charges overnight and is lendable the next morning. A swap
 * loaner comes back when its student's device is repaired (school time
 * runs on from one day's end to the next day's start) and is lendable once
 * it has charged. Doors hold the lendable loaners and the broken devices
 * until the day's collection; the doors a pickup or a returned loaner
 * briefly uses are not modelled.
 */
export interface CampusSimulationSetup {
  schoolDays: number;
  students: number;
  /** Share of students who need a day loaner on a school day (forgot it, battery flat). */
  forgetRate: number;
  /** Share of students whose device breaks on a school day. */
  breakRate: number;
  /** Mean school days a broken device is away (exponential). */
  repairDays: number;
  /** Minutes a returned swap loaner charges before it is lent again. */
  chargeMinutes: number;
  /** Lockers open and school ends, minutes after midnight (e.g. 450 and 930 for 7:30–15:30). */
  dayStartMinute: number;
  dayEndMinute: number;
  /** The morning peak: its centre, its spread (a normal's σ) and the share of requests in it; the rest come evenly through the day. */
  peak: { minute: number; spreadMinutes: number; share: number };
  /** Minutes one transaction holds a kiosk (scan, choose, door). */
  kioskMinutes: number;
  /** Minutes a technician spends per door collected. */
  technicianMinutesPerDoor: number;
  stations: readonly { name: string; loaners: number; doors: number }[];
  seed: number;
}

export interface StationOutcome {
  name: string;
  requests: number;
  turnedAway: { noLoaner: number; noDoor: number };
  /** Minutes students waited for the kiosk: 95th percentile and longest. */
  waitP95Minutes: number;
  waitMaxMinutes: number;
  /** Share of door-minutes with something behind the door, during school hours. */
  doorUtilization: number;
}

export interface CampusSimulationOutcome {
  requests: number;
  turnedAway: number;
  turnedAwayShare: number;
  stations: StationOutcome[];
  /**
   * Per school day: requests, turned away, day loans asked for and lent (a day loan is out to the
   * day's end, so what was asked for is the day's peak demand), swaps lent, technician minutes.
   */
  days: {
    requests: number;
    turnedAway: number;
    dayRequests: number;
    dayLoans: number;
    swaps: number;
    technicianMinutes: number;
  }[];
}

interface Station {
  name: string;
  doors: number;
  /** Loaners behind doors, lendable now. */
  ready: number;
  /** Loaners that come back at the end of today (day loans) — lendable tomorrow. */
  backTonight: number;
  /** Broken devices behind doors waiting for a technician. */
  awaitingCollection: number;
  /** When swap loaners are lendable again (school days, fractional), their student's device repaired and the loaner charged. */
  swapsOut: TimeQueue;
  kioskFreeAt: number;
  waits: number[];
  requests: number;
  noLoaner: number;
  noDoor: number;
  occupiedDoorMinutes: number;
}

/** A swap's repair time is drawn with the request, lent or not, so two what-ifs with one seed see the same students and the same breakages. */
type Request = { minute: number; kind: 'day' | 'swap'; station: number; repairDays: number };

export function simulateCampus(setup: CampusSimulationSetup): CampusSimulationOutcome {
  assertSetup(setup);
  const random = seededRandom(setup.seed);
  const stations: Station[] = setup.stations.map((s) => ({
    name: s.name,
    doors: s.doors,
    ready: s.loaners,
    backTonight: 0,
    awaitingCollection: 0,
    swapsOut: new TimeQueue(),
    kioskFreeAt: 0,
    waits: [],
    requests: 0,
    noLoaner: 0,
    noDoor: 0,
    occupiedDoorMinutes: 0,
  }));
  const days: CampusSimulationOutcome['days'] = [];
  const schoolMinutes = setup.dayEndMinute - setup.dayStartMinute;
  for (let day = 0; day < setup.schoolDays; day++) {
    const requests = [
      ...arrivals(random, setup, poissonCount(random, setup.students * setup.forgetRate), 'day'),
      ...arrivals(random, setup, poissonCount(random, setup.students * setup.breakRate), 'swap'),
    ].sort((a, b) => a.minute - b.minute);
    let turnedAway = 0;
    let dayLoans = 0;
    let swaps = 0;
    for (const s of stations) s.kioskFreeAt = day * 1440 + setup.dayStartMinute;
    const schoolTime = (minute: number) => day + (minute - setup.dayStartMinute) / schoolMinutes;
    let lastMinute = setup.dayStartMinute;
    for (const r of requests) {
      const s = stations[r.station]!;
      accrueDoors(stations, r.minute - lastMinute);
      lastMinute = r.minute;
      const now = schoolTime(r.minute);
      while (s.swapsOut.size > 0 && s.swapsOut.peek()! <= now) {
        s.swapsOut.pop();
        s.ready++;
      }
      s.requests++;
      const at = day * 1440 + r.minute;
      const wait = Math.max(0, s.kioskFreeAt - at);
      s.waits.push(wait);
      s.kioskFreeAt = at + wait + setup.kioskMinutes;
      if (s.ready === 0) {
        s.noLoaner++;
        turnedAway++;
      } else if (r.kind === 'swap' && s.ready + s.awaitingCollection >= s.doors) {
        // A swap needs an empty door for the broken device before the loaner's door opens.
        s.noDoor++;
        turnedAway++;
      } else if (r.kind === 'day') {
        s.ready--;
        s.backTonight++;
        dayLoans++;
      } else {
        s.ready--;
        s.awaitingCollection++;
        swaps++;
        s.swapsOut.push(now + r.repairDays + setup.chargeMinutes / schoolMinutes);
      }
    }
    accrueDoors(stations, setup.dayEndMinute - lastMinute);
    let collected = 0;
    for (const s of stations) {
      while (s.swapsOut.size > 0 && s.swapsOut.peek()! <= day + 1) {
        s.swapsOut.pop();
        s.ready++;
      }
      collected += s.awaitingCollection;
      s.awaitingCollection = 0;
      s.ready += s.backTonight;
      s.backTonight = 0;
    }
    days.push({
      requests: requests.length,
      turnedAway,
      dayRequests: requests.filter((r) => r.kind === 'day').length,
      dayLoans,
      swaps,
      technicianMinutes: collected * setup.technicianMinutesPerDoor,
    });
  }
  const requests = days.reduce((a, d) => a + d.requests, 0);
  const turnedAway = days.reduce((a, d) => a + d.turnedAway, 0);
  return {
    requests,
    turnedAway,
    turnedAwayShare: requests ? turnedAway / requests : 0,
    stations: stations.map((s) => ({
      name: s.name,
      requests: s.requests,
      turnedAway: { noLoaner: s.noLoaner, noDoor: s.noDoor },
      waitP95Minutes: nearestRank(s.waits, 0.95),
      waitMaxMinutes: s.waits.length ? Math.max(...s.waits) : 0,
      doorUtilization: s.doors ? s.occupiedDoorMinutes / (s.doors * schoolMinutes * setup.schoolDays) : 0,
    })),
    days,
  };
}

/** Doors hold the lendable loaners and the broken devices awaiting collection. */
function accrueDoors(stations: Station[], minutes: number): void {
  for (const s of stations) s.occupiedDoorMinutes += Math.min(s.doors, s.ready + s.awaitingCollection) * minutes;
}

function arrivals(random: () => number, setup: CampusSimulationSetup, count: number, kind: Request['kind']): Request[] {
  const { dayStartMinute: open, dayEndMinute: close, peak } = setup;
  const out: Request[] = [];
  for (let i = 0; i < count; i++) {
    let minute = open + random() * (close - open);
    if (random() < peak.share) minute = Math.min(close - 1e-6, Math.max(open, peak.minute + peak.spreadMinutes * normal(random)));
    const repairDays = exponential(random, setup.repairDays);
    out.push({ minute, kind, station: Math.floor(random() * setup.stations.length), repairDays });
  }
  return out;
}

/** Box–Muller. */
function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A Poisson count by summing exponential gaps (means here are tens, not thousands). */
function poissonCount(random: () => number, mean: number): number {
  let n = 0;
  for (let t = exponential(random, 1); t < mean; t += exponential(random, 1)) n++;
  return n;
}

function nearestRank(values: number[], level: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(level * sorted.length) - 1]!;
}

function assertSetup(s: CampusSimulationSetup): void {
  const whole = (n: number) => Number.isInteger(n) && n >= 0;
  const rate = (n: number) => Number.isFinite(n) && n >= 0 && n <= 1;
  if (!whole(s.schoolDays) || !whole(s.students)) throw new RangeError('school days and students must be whole numbers ≥ 0');
  if (!rate(s.forgetRate) || !rate(s.breakRate) || !rate(s.peak.share))
    throw new RangeError('rates and the peak share are between 0 and 1');
  if (!(s.repairDays > 0) || !Number.isFinite(s.repairDays)) throw new RangeError('repair days must be > 0');
  if (!(s.dayStartMinute >= 0 && s.dayStartMinute < s.dayEndMinute && s.dayEndMinute <= 1440))
    throw new RangeError('the school day must start before it ends, within the day');
  if (!(s.kioskMinutes >= 0) || !(s.chargeMinutes >= 0) || !(s.technicianMinutesPerDoor >= 0) || !(s.peak.spreadMinutes >= 0))
    throw new RangeError('minutes must be ≥ 0');
  if (s.stations.length === 0) throw new RangeError('a campus needs at least one station');
  for (const st of s.stations)
    if (!whole(st.loaners) || !whole(st.doors) || st.loaners > st.doors)
      throw new RangeError(`station ${st.name}: loaners and doors are whole numbers, and the loaners fit behind the doors`);
}
