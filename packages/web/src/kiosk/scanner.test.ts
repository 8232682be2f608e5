import { describe, expect, it } from 'vitest';
import { emptyScan, feedScanKey, type ScanBuffer } from './scanner.js';

function type(keys: string[], gapMs: number, start: ScanBuffer = emptyScan) {
  let buffer = start;
  let at = 1000;
  const steps = keys.map((key) => {
    const step = feedScanKey(buffer, key, at);
    buffer = step.buffer;
    at += gapMs;
    return step;
  });
  return steps.at(-1)!;
}

describe('badge and barcode scans', () => {
  it('digits typed fast and Enter are a scan, and that Enter is swallowed', () => {
    const last = type([...'4100007', 'Enter'], 5);
    expect(last).toMatchObject({ scan: '4100007', swallow: true, buffer: emptyScan });
  });

  it('an asset tag with letters, dashes and Shift presses scans as typed', () => {
    expect(type(['Shift', 'L', 'Shift', 'N', '-', '0', '0', '0', '1', '2', 'Enter'], 8).scan).toBe('LN-00012');
  });

  it("keys typed at a person's pace never make a scan, and their Enter passes through to the focused button", () => {
    const last = type([...'4100007', 'Enter'], 250);
    expect(last.scan).toBeUndefined();
    expect(last.swallow).toBe(false);
  });

  it('a short burst, or another key in between, starts over', () => {
    expect(type(['1', '2', 'Enter'], 5).scan).toBeUndefined();
    expect(type(['1', '2', '3', 'Tab', '4', '5', 'Enter'], 5).scan).toBeUndefined();
  });

  it('a pause before a scan does not glue old keys to it', () => {
    const stale = type(['9', '9'], 5);
    const later = feedScanKey(stale.buffer, '1', stale.buffer.lastAt + 5000);
    expect(type(['2', '3', '4', 'Enter'], 5, later.buffer).scan).toBe('1234');
  });
});
