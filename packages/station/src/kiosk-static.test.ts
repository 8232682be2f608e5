import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { aKiosk, closeKiosks, onKioskCleanup } from './testing/kiosk.js';

afterEach(closeKiosks);

describe('kiosk assets', () => {
  it('serves kiosk assets from staticDir, falling back to index.html, never outside it', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'kiosk-assets-'));
    onKioskCleanup(() => rm(parent, { recursive: true, force: true }));
    const dir = join(parent, 'kiosk');
    await mkdir(dir);
    await writeFile(join(parent, 'secret.txt'), 'station token');
    await writeFile(join(dir, 'index.html'), '<h1>Scan your badge</h1>');
    await writeFile(join(dir, 'app.js'), 'console.log("kiosk")');
    const { api } = await aKiosk({}, { staticDir: dir });
    const script = await api.inject({ method: 'GET', url: '/app.js' });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    expect(script.body).toBe('console.log("kiosk")');
    const page = await api.inject({ method: 'GET', url: '/borrow/reason' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toBe('<h1>Scan your badge</h1>');
    expect((await api.inject({ method: 'GET', url: '/' })).body).toBe('<h1>Scan your badge</h1>');
    expect((await api.inject({ method: 'GET', url: '/%2e%2e/%2e%2e/etc/passwd' })).body).not.toContain('root:');
    for (const url of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const escape = await api.inject({ method: 'GET', url });
      expect(escape.body, url).not.toContain('station token');
    }
    expect((await api.inject({ method: 'GET', url: '/api/unknown' })).statusCode).toBe(404);
  });

  it('tells the browser to revalidate kiosk assets, and refuses them to a foreign host name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-assets-'));
    onKioskCleanup(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'index.html'), '<h1>Scan your badge</h1>');
    const { api } = await aKiosk({}, { staticDir: dir });
    const page = await api.inject({ method: 'GET', url: '/' });
    expect(page.headers['cache-control']).toMatch(/max-age=0/);
    const etag = String(page.headers.etag);
    expect((await api.inject({ method: 'GET', url: '/', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    const foreign = await api.inject({ method: 'GET', url: '/', headers: { host: 'evil.example' } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.body).not.toContain('Scan your badge');
  });
});
