import type { TFunction } from 'i18next';

/**
 * A due time in the kiosk's local time (the kiosk PC sits at the campus, so
 * its clock's zone is the site's): "today at 3:30 PM", or "Monday at 3:30 PM".
 */
export function formatDue(t: TFunction, language: string, dueAt: number, now = Date.now()): string {
  const due = new Date(dueAt);
  const locale = localeOf(language);
  const time = new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit' }).format(due);
  if (sameDay(due, new Date(now))) return t('due.today', { time });
  const day = new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    ...(dueAt - now > 6 * 86_400_000 ? { month: 'long', day: 'numeric' } : {}),
  }).format(due);
  return t('due.later', { day, time });
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/** Cubby serves US school districts: US conventions (12-hour clock) in both languages. */
export function localeOf(language: string): string {
  return language === 'es' ? 'es-US' : 'en-US';
}
