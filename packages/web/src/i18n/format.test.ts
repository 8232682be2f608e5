import { describe, expect, it } from 'vitest';
import { formatClock, formatDue, knownTimeZone } from './format.js';
import { i18n } from './index.js';

const t = i18n.getFixedT('en');
const es = i18n.getFixedT('es');
// 3:30 PM in Chicago on Wednesday 2 December 2026 is 21:30 UTC.
const dueAt = Date.UTC(2026, 11, 2, 21, 30);

describe('kiosk times in the campus time zone', () => {
  it('a 3:30 PM Chicago due time reads 3:30 PM whatever zone the kiosk PC is in', () => {
    expect(formatDue(t, 'en', dueAt, 'America/Chicago', Date.UTC(2026, 11, 2, 14))).toBe('today at 3:30 PM');
    expect(formatDue(t, 'en', dueAt, 'UTC', Date.UTC(2026, 11, 2, 14))).toBe('today at 9:30 PM');
    expect(formatDue(es, 'es', dueAt, 'America/Chicago', Date.UTC(2026, 11, 2, 14))).toMatch(/^hoy a las 3:30 p\.\s?m\.$/);
  });

  it("'today' is the campus's day: at 7 PM in Chicago (01:00 UTC the next day) tomorrow's due time is Thursday", () => {
    const evening = Date.UTC(2026, 11, 3, 1);
    expect(formatDue(t, 'en', dueAt + 86_400_000, 'America/Chicago', evening)).toBe('Thursday at 3:30 PM');
    expect(formatDue(t, 'en', dueAt, 'America/Chicago', evening)).toBe('today at 3:30 PM');
  });

  it('a clock time in the zone, and a zone name the browser does not know is left out', () => {
    expect(formatClock('en', dueAt, 'America/Chicago')).toBe('3:30 PM');
    expect(knownTimeZone('America/Chicago')).toBe('America/Chicago');
    expect(knownTimeZone('Mars/Olympus_Mons')).toBeUndefined();
    expect(knownTimeZone(42)).toBeUndefined();
  });
});
