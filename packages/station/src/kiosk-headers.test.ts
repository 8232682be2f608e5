import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aKiosk, closeKiosks, onKioskCleanup } from './testing/kiosk.js';

afterEach(closeKiosks);

describe('kiosk security headers', () => {
  it.each([
    ['the kiosk page', '/'],
    ['a kiosk route', '/borrow/reason'],
    ['a kiosk asset', '/app.js'],
    ['the station status', '/api/station'],
    ['an unknown API path', '/api/unknown'],
  ])('%s (%s) carries the CSP, frame, sniffing and referrer headers, and never HSTS', async (_name, url) => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-headers-'));
    onKioskCleanup(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'index.html'), '<h1>Scan your badge</h1>');
    await writeFile(join(dir, 'app.js'), 'console.log("kiosk")');
    const { api } = await aKiosk({}, { staticDir: dir });
    const res = await api.inject({ method: 'GET', url });
    expect(res.statusCode).toBeLessThan(500);
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    // The page talks to its own station agent only: /api and the /api/events stream.
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });
});
