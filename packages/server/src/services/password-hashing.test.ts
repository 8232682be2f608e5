import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aDistrict } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { PasswordHasher } from './password-hashing.js';

describe('the cap on concurrent password hashes', () => {
  it('runs at most `concurrency` at once, lets `queue` wait, and refuses the rest at once as busy', async () => {
    const hasher = new PasswordHasher(2, 3);
    let most = 0;
    const sampler = setInterval(() => (most = Math.max(most, hasher.load.running)), 1);
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => hasher.hash(`secret ${i}`)));
    clearInterval(sampler);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(5);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'busy', details: { retryAfter: 1 } });
    expect(most).toBe(2);
    expect(hasher.load).toEqual({ running: 0, waiting: 0 });
  });
});

describe.each(testDialects)('a sign-in flood against the hash cap on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect, { CUBBY_HASH_CONCURRENCY: '1', CUBBY_HASH_QUEUE: '2' });
    await aDistrict(server.cubby);
  });
  afterAll(async () => server?.close());

  it('sign-ins beyond the queue are answered 503 busy with Retry-After, not kept waiting', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        server.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: `nobody${i}@district.test`, password: 'a guess' },
          remoteAddress: `198.51.100.${i + 1}`,
        }),
      ),
    );
    const busy = answers.filter((a) => a.statusCode === 503);
    expect(busy.length).toBeGreaterThan(0);
    for (const a of busy) {
      expect(a.json()).toMatchObject({ code: 'busy', retryAfter: 1 });
      expect(a.headers['retry-after']).toBe('1');
    }
    expect(answers.filter((a) => a.statusCode === 401).length).toBeGreaterThanOrEqual(3);
    expect(answers.every((a) => a.statusCode === 401 || a.statusCode === 503)).toBe(true);
  });
});
