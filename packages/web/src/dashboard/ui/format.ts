import { localeOf } from '../../i18n/format.js';

/**
 * Dates and times in a campus's time zone (ARCHITECTURE §4), never the
 * browser's: an IT director in another zone, or a PC whose clock is set to
 * UTC, sees the school's clock. US conventions in both languages. When the
 * browser's own zone differs, the zone's short name follows, so nobody
 * mistakes the campus's 3:30 PM for their own.
 */
export function formatDateTime(language: string, at: number | null | undefined, timeZone: string): string {
  if (at == null) return '—';
  return format(language, at, timeZone, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatTime(language: string, at: number, timeZone: string): string {
  return format(language, at, timeZone, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
}

export function formatDate(language: string, at: number | null | undefined, timeZone: string): string {
  if (at == null) return '—';
  return new Intl.DateTimeFormat(localeOf(language), { dateStyle: 'medium', timeZone }).format(new Date(at));
}

const browserZone = () => new Intl.DateTimeFormat().resolvedOptions().timeZone;

function format(language: string, at: number, timeZone: string, options: Intl.DateTimeFormatOptions): string {
  const text = new Intl.DateTimeFormat(localeOf(language), { ...options, timeZone }).format(new Date(at));
  if (timeZone === browserZone()) return text;
  const zone = new Intl.DateTimeFormat(localeOf(language), { timeZone, timeZoneName: 'short' })
    .formatToParts(new Date(at))
    .find((p) => p.type === 'timeZoneName')?.value;
  return zone ? `${text} ${zone}` : text;
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
