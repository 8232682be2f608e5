import { Temporal } from 'temporal-polyfill';

/**
 * An instant as ISO 8601 local time with its UTC offset in a campus's time
 * zone, to the second (`2026-12-01T15:30:00-06:00`): what a spreadsheet or a
 * person reads, and still one exact instant (ARCHITECTURE §4: local time only
 * at the edges).
 */
export function localIsoTime(epochMs: number, timeZone: string): string {
  return Temporal.Instant.fromEpochMilliseconds(epochMs)
    .toZonedDateTimeISO(timeZone)
    .toString({ smallestUnit: 'second', timeZoneName: 'never' });
}
