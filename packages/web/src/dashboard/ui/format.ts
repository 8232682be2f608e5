import { localeOf } from '../../i18n/format.js';

/** Dates and times in staff's local time, US conventions in both languages. */
export function formatDateTime(language: string, at: number | null | undefined): string {
  if (at == null) return '—';
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(at));
}

export function formatTime(language: string, at: number): string {
  return new Intl.DateTimeFormat(localeOf(language), { hour: 'numeric', minute: '2-digit', second: '2-digit' }).format(
    new Date(at),
  );
}

export function formatDate(language: string, at: number | null | undefined): string {
  if (at == null) return '—';
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium' }).format(new Date(at));
}

/**
 * "About 10:40" in the campus's own zone: an estimate rounded up to the next
 * five minutes, so it never promises a loaner sooner than the curve does.
 */
export function formatAboutTime(language: string, at: number, timeZone: string): string {
  const step = 5 * 60_000;
  const time = new Intl.DateTimeFormat(localeOf(language), { hour: 'numeric', minute: '2-digit', timeZone }).format(
    new Date(Math.ceil(at / step) * step),
  );
  // "9:15 PM" stays on one line in a narrow table cell.
  return time.replace(/\s/g, '\u00a0');
}
