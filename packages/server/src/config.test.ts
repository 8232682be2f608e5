import { describe, expect, it } from 'vitest';
import { ConfigError, loadServerConfig } from './config.js';

const base = { CUBBY_SECRET: 'test-secret-test-secret-test-secret-0123' };

describe('CUBBY_TRUST_PROXY', () => {
  it.each([
    [undefined, false],
    ['', false],
    ['false', false],
    ['10.0.0.5', ['10.0.0.5']],
    ['10.0.0.0/8, 2001:db8::/32', ['10.0.0.0/8', '2001:db8::/32']],
    ['loopback,uniquelocal', ['loopback', 'uniquelocal']],
  ])('%j trusts %j', (value, trusted) => {
    expect(loadServerConfig({ ...base, ...(value === undefined ? {} : { CUBBY_TRUST_PROXY: value }) }).trustProxy).toEqual(
      trusted,
    );
  });

  it.each(['true', '*', '1', 'proxy.district.org', '10.0.0.0/33', '10.0.0.1/8/1'])(
    '%j is refused: only named proxies are trusted, never every hop',
    (value) => {
      expect(() => loadServerConfig({ ...base, CUBBY_TRUST_PROXY: value })).toThrow(ConfigError);
    },
  );
});

describe('the throttles’ defaults', () => {
  it('suit a school: 50 failed sign-ins per address in 15 minutes, 20 wrong PINs per station in 10, two hashes at once', () => {
    expect(loadServerConfig(base)).toMatchObject({
      signInAddressMaxFailures: 50,
      signInAddressWindowSeconds: 900,
      pinMaxFailures: 5,
      pinLockoutSeconds: 900,
      pinStationMaxFailures: 20,
      pinStationWindowSeconds: 600,
      pinDistrictMaxFailures: 300,
      pinDistrictWindowSeconds: 600,
      hashConcurrency: 2,
      hashQueue: 32,
    });
  });
});

describe('the job runner’s settings', () => {
  it('default to a 1 s poll, a 2 min lease, 8 attempts waiting 1 min doubling to 1 h', () => {
    expect(loadServerConfig(base).jobs).toEqual({
      enabled: true,
      pollMs: 1000,
      leaseMs: 120_000,
      batch: 10,
      maxAttempts: 8,
      retry: { baseMs: 60_000, maxMs: 3_600_000, jitter: 0.2 },
    });
    expect(loadServerConfig({ ...base, CUBBY_JOBS: 'off' }).jobs.enabled).toBe(false);
  });

  it('refuse a lease no longer than an SMTP send may take (another runner could send it too)', () => {
    expect(() => loadServerConfig({ ...base, CUBBY_JOBS_LEASE_MS: '60000' })).toThrow(ConfigError);
    expect(
      loadServerConfig({
        ...base,
        CUBBY_JOBS_LEASE_MS: '60001',
        CUBBY_SMTP_TIMEOUT_MS: '10000',
        CUBBY_SMTP_SOCKET_TIMEOUT_MS: '40000',
      }).jobs.leaseMs,
    ).toBe(60_001);
  });
});
