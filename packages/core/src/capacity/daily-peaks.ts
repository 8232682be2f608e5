import { Temporal } from 'temporal-polyfill';

/**
 * A campus's daily peak of concurrent loans, the input day-loan sizing
 * reads (capacity-planning.md: "size from the history's daily peak
 * concurrent loans at the busiest 15-minute bucket"). A loan counts in every
 * bucket it is out during any part of: a loaner handed back at 10:05 is not
 * lendable again at 10:10 (it charges first), so the bucket is the honest
 * grain. An overnight loan counts on both days; an open loan counts to `to`.
 */
export interface LoanSpan {
  start: number;
  /** Null: still out. */
  end: number | null;
}

export interface DailyPeakOptions {
  timeZone: string;
  /** The history's first and last instant (epoch ms, to exclusive). */
  from: number;
  to: number;
  bucketMinutes?: number;
  /** Which local dates count (default Monday to Friday); a day without school would only dilute the sample. */
  isSchoolDay?: (date: Temporal.PlainDate) => boolean;
}

export interface DailyPeak {
  /** The campus's local date, YYYY-MM-DD. */
  date: string;
  peak: number;
}

const weekday = (date: Temporal.PlainDate) => date.dayOfWeek <= 5;

export function dailyPeakLoans(loans: readonly LoanSpan[], options: DailyPeakOptions): DailyPeak[] {
  const { timeZone, from, to } = options;
  const bucketMs = (options.bucketMinutes ?? 15) * 60_000;
  if (!(bucketMs > 0) || !Number.isFinite(from) || !(to > from))
    throw new RangeError('the history needs from < to and a bucket > 0');
  // Buckets on the epoch's grid: every time zone's offset is a multiple of 15 minutes, so they fall on local quarter hours too.
  const first = Math.floor(from / bucketMs);
  const count = Math.ceil(to / bucketMs) - first;
  const change = new Int32Array(count + 1);
  for (const loan of loans) {
    const start = Math.max(loan.start, from);
    const end = Math.min(loan.end ?? to, to);
    if (end < start) continue;
    const a = Math.floor(start / bucketMs) - first;
    // Exclusive: a loan ending exactly on a bucket's edge is not out in the next one.
    const b = Math.ceil(end / bucketMs) - first;
    change[a]! += 1;
    change[Math.min(Math.max(b, a + 1), count)]! -= 1;
  }
  const peaks = new Map<string, number>();
  const dates = localDates(from, to, timeZone);
  for (const date of dates) if ((options.isSchoolDay ?? weekday)(date)) peaks.set(date.toString(), 0);
  let out = 0;
  let day = '';
  let dayEnds = -Infinity;
  for (let i = 0; i < count; i++) {
    out += change[i]!;
    const at = (first + i) * bucketMs;
    if (at >= dayEnds) {
      const zoned = Temporal.Instant.fromEpochMilliseconds(at).toZonedDateTimeISO(timeZone);
      day = zoned.toPlainDate().toString();
      dayEnds = zoned.startOfDay().add({ days: 1 }).epochMilliseconds;
    }
    const peak = peaks.get(day);
    if (peak !== undefined && out > peak) peaks.set(day, out);
  }
  return [...peaks].map(([date, peak]) => ({ date, peak }));
}

function localDates(from: number, to: number, timeZone: string): Temporal.PlainDate[] {
  const last = Temporal.Instant.fromEpochMilliseconds(to - 1)
    .toZonedDateTimeISO(timeZone)
    .toPlainDate();
  const out: Temporal.PlainDate[] = [];
  for (
    let d = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(timeZone).toPlainDate();
    Temporal.PlainDate.compare(d, last) <= 0;
    d = d.add({ days: 1 })
  )
    out.push(d);
  return out;
}
