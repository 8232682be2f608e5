import type { TFunction } from 'i18next';

/**
 * A due time in the campus's time zone (the station says it; the kiosk PC's own clock may be
 * set to any zone): "today at 3:30 PM", or "Monday at 3:30 PM". Without a zone, the PC's.
 */
export function formatDue(
  t: TFunction,
  language: string,
  dueAt: number,
  timeZone?: string | undefined,
  now = Date.now(),
): string {
  const due = new Date(dueAt);
  const locale = localeOf(language);
  const zone = timeZone ? { timeZone } : {};
  const time = formatClock(language, dueAt, timeZone);
  if (dayOf(due, timeZone) === dayOf(new Date(now), timeZone)) return t('due.today', { time });
  const day = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    ...zone,
    ...(dueAt - now > 6 * 86_400_000 ? { month: 'long', day: 'numeric' } : {}),
  }).format(due);
  return t('due.later', { day, time });
}

/** A time of day, "3:30 PM", in the campus's zone when it is known. */
export function formatClock(language: string, at: number, timeZone?: string | undefined): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    hour: 'numeric',
    minute: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(at));
}

/** The calendar day in the zone, as YYYY-MM-DD. */
function dayOf(at: Date, timeZone: string | undefined): string {
  return new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(timeZone ? { timeZone } : {}),
  }).format(at);
}

/** A zone this browser knows (a bad name from anywhere must not break every time on screen). */
export function knownTimeZone(zone: unknown): string | undefined {
  if (typeof zone !== 'string' || !zone) return undefined;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

/** Cubby serves US school districts: US conventions (12-hour clock) in both languages. */
export function localeOf(language: string): string {
  return language === 'es' ? 'es-US' : 'en-US';
}
