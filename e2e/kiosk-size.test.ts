import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kioskBundleSize } from '../packages/web/scripts/kiosk-build.js';
import { screenshotDir } from './kiosk-page.js';

describe('kiosk web app', () => {
  it('loads at most 150 KB of gzipped JavaScript', () => {
    const size = kioskBundleSize();
    writeFileSync(`${screenshotDir}bundle-size.json`, `${JSON.stringify(size, null, 2)}\n`);
    expect(size.jsGzip).toBeGreaterThan(10_000);
    expect(size.jsGzip).toBeLessThanOrEqual(150 * 1024);
  });
});
