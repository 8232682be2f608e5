import { describe, expect, it } from 'vitest';
import { localIsoTime } from './local-time.js';

describe('localIsoTime', () => {
  it("writes the campus's wall clock with its offset, standard and daylight time", () => {
    expect(localIsoTime(Date.UTC(2026, 11, 1, 21, 30, 0, 999), 'America/Chicago')).toBe('2026-12-01T15:30:00-06:00');
    expect(localIsoTime(Date.UTC(2026, 6, 1, 20, 30), 'America/Chicago')).toBe('2026-07-01T15:30:00-05:00');
    expect(localIsoTime(Date.UTC(2026, 11, 1, 21, 30), 'Asia/Kolkata')).toBe('2026-12-02T03:00:00+05:30');
    expect(localIsoTime(0, 'UTC')).toBe('1970-01-01T00:00:00+00:00');
  });

  it('reads back as the same instant, to the second', () => {
    const at = Date.UTC(2026, 2, 8, 8, 30, 15);
    expect(Date.parse(localIsoTime(at, 'America/Chicago'))).toBe(at);
  });
});
