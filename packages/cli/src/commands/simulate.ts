import { capacityPlan, simulateCampus, type CampusSimulationOutcome, type CampusSimulationSetup } from '@cubby/core';
import { InvalidArgumentError, Option, type Command } from 'commander';

/**
 * `cubby simulate`: a school term at one campus's lockers from parameters
 * (docs/analytics.md): how many students are turned away, the line at the
 * kiosk, door use and technician minutes — to size a campus before it has
 * lockers, or to ask "what if we add 10 loaners". Needs no database. Reading
 * the parameters from a district's own history is not built yet.
 */
interface SimulateOptions {
  days: number;
  students: number;
  forgetRate: number;
  breakRate: number;
  repairDays: number;
  chargeMinutes: number;
  schoolDay: { start: number; end: number };
  peak: number;
  peakSpread: number;
  peakShare: number;
  kioskMinutes: number;
  technicianMinutes: number;
  station: { name: string; loaners: number; doors: number }[];
  seed: number;
  json?: boolean;
}

export function registerSimulateCommand(program: Command): void {
  program
    .command('simulate')
    .description('simulate a school term at one campus’s lockers (docs/analytics.md)')
    .option('--days <n>', 'school days in the term', whole, 90)
    .option('--students <n>', 'students at the campus', whole, 1000)
    .option('--forget-rate <share>', 'share of students needing a day loaner per school day', share, 0.01)
    .option('--break-rate <share>', 'share of students whose device breaks per school day', share, 0.001)
    .option('--repair-days <days>', 'mean school days a broken device is away', positive, 5)
    .option('--charge-minutes <n>', 'minutes a returned swap loaner charges before it is lent again', nonNegative, 120)
    .addOption(
      new Option('--school-day <hh:mm-hh:mm>', 'when lockers open and school ends')
        .argParser(schoolDay)
        .default({ start: 450, end: 930 }, '07:30-15:30'),
    )
    .addOption(new Option('--peak <hh:mm>', 'the centre of the morning peak').argParser(clock).default(480, '08:00'))
    .option('--peak-spread <minutes>', 'how wide the morning peak is (a normal’s σ)', nonNegative, 15)
    .option('--peak-share <share>', 'share of requests in the morning peak', share, 0.6)
    .option('--kiosk-minutes <n>', 'minutes one transaction holds a kiosk', nonNegative, 0.75)
    .option('--technician-minutes <n>', 'technician minutes per door collected', nonNegative, 2)
    .addOption(
      new Option('--station <name:loaners:doors>', 'a station (repeat for each)')
        .argParser(station)
        .default([], 'one station, 16 loaners, 24 doors'),
    )
    .option('--seed <n>', 'random seed (the same seed gives the same term)', whole, 1)
    .option('--json', 'print the outcome as one JSON object')
    .action((options: SimulateOptions) => {
      const stations = options.station.length ? options.station : [{ name: 'Station', loaners: 16, doors: 24 }];
      const setup: CampusSimulationSetup = {
        schoolDays: options.days,
        students: options.students,
        forgetRate: options.forgetRate,
        breakRate: options.breakRate,
        repairDays: options.repairDays,
        chargeMinutes: options.chargeMinutes,
        dayStartMinute: options.schoolDay.start,
        dayEndMinute: options.schoolDay.end,
        peak: { minute: options.peak, spreadMinutes: options.peakSpread, share: options.peakShare },
        kioskMinutes: options.kioskMinutes,
        technicianMinutesPerDoor: options.technicianMinutes,
        stations,
        seed: options.seed,
      };
      let outcome: CampusSimulationOutcome;
      try {
        outcome = simulateCampus(setup);
      } catch (error) {
        // The simulator's own checks (loaners that do not fit behind the doors…) are the operator's to fix.
        throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
      }
      const plan = planFrom(setup, outcome);
      if (options.json) console.log(JSON.stringify({ setup, outcome: { ...outcome, days: undefined }, plan }));
      else console.log(report(setup, outcome, plan));
    });
}

/** What the term's demand says the campus needs at 99 % served (the capacity plan's method on simulated history). */
function planFrom(setup: CampusSimulationSetup, outcome: CampusSimulationOutcome) {
  const schoolMinutes = setup.dayEndMinute - setup.dayStartMinute;
  const plan = capacityPlan({
    serviceLevel: 0.99,
    // Demand, not what the pool let through: refused day loans still wanted a loaner that day.
    dailyPeaks: outcome.days.map((d) => d.dayRequests),
    failuresPerDay: setup.students * setup.breakRate,
    turnaroundDays: setup.repairDays + setup.chargeMinutes / schoolMinutes,
    loaners: setup.stations.reduce((a, s) => a + s.loaners, 0),
  });
  return {
    recommended: plan.recommended,
    current: plan.current,
    dayLoans: plan.dayLoans.needed,
    swapLoans: plan.swapLoans.needed,
  };
}

function report(setup: CampusSimulationSetup, outcome: CampusSimulationOutcome, plan: ReturnType<typeof planFrom>): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
  const technician = outcome.days.reduce((a, d) => a + d.technicianMinutes, 0) / Math.max(1, outcome.days.length);
  const lines = [
    `${setup.schoolDays} school days, ${setup.students} students, ${setup.stations.length} station(s), seed ${setup.seed}`,
    `requests ${outcome.requests}, turned away ${outcome.turnedAway} (${pct(outcome.turnedAwayShare)})`,
    '',
    'station              requests  no loaner  no door  wait p95  wait max  doors used',
    ...outcome.stations.map(
      (s) =>
        `${s.name.slice(0, 20).padEnd(20)} ${String(s.requests).padStart(8)} ${String(s.turnedAway.noLoaner).padStart(10)} ${String(s.turnedAway.noDoor).padStart(8)}` +
        ` ${`${s.waitP95Minutes.toFixed(1)} min`.padStart(9)} ${`${s.waitMaxMinutes.toFixed(1)} min`.padStart(9)} ${pct(s.doorUtilization).padStart(11)}`,
    ),
    '',
    `turned away per day  ${sparkline(outcome.days.map((d) => d.turnedAway))}`,
    `technician minutes   ${technician.toFixed(1)} per day on average`,
    `loaners for 99 % served: ${plan.recommended} (${plan.dayLoans} for day loans + ${plan.swapLoans} for swaps); the stations hold ${plan.current}`,
  ];
  return lines.join('\n');
}

/** One character per day, its height the day's count against the term's worst. */
function sparkline(values: number[]): string {
  const bars = '▁▂▃▄▅▆▇█';
  const top = Math.max(...values, 0);
  if (top === 0) return `${'▁'.repeat(Math.min(values.length, 90))} (none)`;
  return values
    .slice(0, 90)
    .map((v) => bars[Math.min(bars.length - 1, Math.floor((v / top) * (bars.length - 1)))])
    .join('');
}

function whole(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('a whole number ≥ 0');
  return n;
}

function nonNegative(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number ≥ 0');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('a number > 0');
  return n;
}

function share(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError('a share between 0 and 1 (e.g. 0.01 for 1 %)');
  return n;
}

function clock(value: string): number {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!match) throw new InvalidArgumentError('a time as hh:mm');
  return Number(match[1]) * 60 + Number(match[2]);
}

function schoolDay(value: string): { start: number; end: number } {
  const [start, end] = value.split('-');
  if (start === undefined || end === undefined) throw new InvalidArgumentError('hh:mm-hh:mm, e.g. 07:30-15:30');
  const day = { start: clock(start), end: clock(end) };
  if (day.start >= day.end) throw new InvalidArgumentError('the school day must end after it starts');
  return day;
}

function station(value: string, previous: SimulateOptions['station']): SimulateOptions['station'] {
  const match = /^(.+):(\d+):(\d+)$/.exec(value);
  if (!match) throw new InvalidArgumentError('name:loaners:doors, e.g. "Library:16:24"');
  return [...previous, { name: match[1]!, loaners: Number(match[2]), doors: Number(match[3]) }];
}
