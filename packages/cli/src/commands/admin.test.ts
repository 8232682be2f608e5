import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, inTransaction, migrateToLatest, sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';

/** Runs the real `cubby` command in its own process, as an operator would. */
function cubby(args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'packages/cli/src/main.ts', ...args], {
    env: { ...process.env, CUBBY_SECRET: 's'.repeat(40), LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
  });
  return { code: result.status, out: `${result.stdout}${result.stderr}` };
}

describe.each(testDialects)('cubby audit verify on %s', (dialect) => {
  let cleanup: () => Promise<void> = async () => {};
  afterEach(async () => cleanup());

  async function databaseUrl(): Promise<string> {
    if (dialect === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'cubby-cli-'));
      cleanup = async () => rmSync(dir, { recursive: true, force: true });
      return join(dir, 'cli.db');
    }
    const base = process.env.CUBBY_TEST_PG_URL!;
    const name = `cli_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    cleanup = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database ${name} with (force)`);
      await c.end();
    };
    return base.replace(/\/[^/]*$/, `/${name}`);
  }

  it('reports an intact chain, then the first broken link after an event is edited', async () => {
    const url = await databaseUrl();
    const db = connect({ url });
    await migrateToLatest(db);
    for (let i = 0; i < 3; i++) {
      await inTransaction(db, async (tx) => {
        tx.audit({ actorType: 'system', actorId: null, action: 'test.event', entityType: 'thing', entityId: `t${i}` });
      });
    }
    await sealAuditChain(db);
    const intact = cubby(['audit', 'verify'], { DATABASE_URL: url });
    expect(intact).toMatchObject({ code: 0 });
    expect(intact.out).toContain('audit chain intact: 3 events');

    await db.db.updateTable('audit_events').set({ entity_id: 'forged' }).where('seq', '=', 2).execute();
    await db.close();
    const broken = cubby(['audit', 'verify'], { DATABASE_URL: url });
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('audit chain BROKEN at event #2');
  });
});
