import { connect, migrateToLatest, sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { changeGoogleConnection, loadServerConfig, operatorServices } from '@cubby/server';
import { aDistrict } from '@cubby/server/testing';
import { aChromeOsDevice, FakeGoogle } from '@cubby/server/testing/google';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { aDatabaseUrl, runCubbyAsync } from '../testing/commands.js';

describe.each(testDialects)('cubby sync google on %s', (dialect) => {
  let cleanup: () => Promise<void> = async () => {};
  afterEach(async () => cleanup());

  it('syncs from the stored connection, prints what did not match, is recorded and audited; a failure exits 1 with its reason', async () => {
    const db = await aDatabaseUrl(dialect);
    const google = await new FakeGoogle().start();
    cleanup = async () => {
      await google.close();
      await db.cleanup();
    };
    const env = { DATABASE_URL: db.url };
    const cubby = connect({ url: db.url });
    await migrateToLatest(cubby);
    await aDistrict(cubby);
    const config = loadServerConfig({ CUBBY_SECRET: 's'.repeat(40), DATABASE_URL: db.url });
    const principal = {
      kind: 'user' as const,
      id: 'u1',
      name: 'IT',
      role: 'district_admin' as const,
      permissions: new Set([]),
      siteIds: null,
    };
    await changeGoogleConnection(operatorServices(cubby, config, pino({ level: 'silent' })), principal, {
      serviceAccountKey: google.serviceAccountKey(),
      customerId: 'my_customer',
      adminEmail: google.adminEmail,
      directoryUrl: google.url,
      telemetryUrl: google.url,
      telemetry: false,
      syncIntervalMinutes: 0,
    });
    await cubby.close();
    google.chromeOsDevices = [aChromeOsDevice({ serialNumber: '5CDUNKNOWN1', annotatedAssetId: 'ZZ-9' })];

    const ok = await runCubbyAsync(['sync', 'google'], env);
    expect(ok.code, ok.out).toBe(0);
    expect(ok.stdout).toMatch(/1 Chrome OS devices in Google, 0 matched/);
    expect(ok.stdout).toContain('in Google only: serial 5CDUNKNOWN1, asset tag ZZ-9');

    google.fail({ api: 'directory', page: 1, status: 403, times: 10 });
    const failed = await runCubbyAsync(['sync', 'google'], env);
    expect(failed.code).toBe(1);
    expect(failed.out).toMatch(/Google sync failed: the Directory API, page 1: HTTP 403/);

    const after = connect({ url: db.url });
    await sealAuditChain(after);
    const runs = await after.db
      .selectFrom('google_syncs')
      .select(['trigger', 'outcome', 'actor_type'])
      .orderBy('started_at')
      .execute();
    const audit = await after.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'google.sync%')
      .orderBy('seq')
      .execute();
    await after.close();
    expect(runs).toEqual([
      { trigger: 'cli', outcome: 'succeeded', actor_type: 'system' },
      { trigger: 'cli', outcome: 'failed', actor_type: 'system' },
    ]);
    expect(audit.map((a) => a.action)).toEqual(['google.synced', 'google.sync_failed']);
  });
});
