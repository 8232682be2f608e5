import { connect, inTransaction, migrateToLatest, sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { aDatabaseUrl, runCubby as cubby } from '../testing/commands.js';

describe.each(testDialects)('cubby audit verify on %s', (dialect) => {
  let cleanup: () => Promise<void> = async () => {};
  afterEach(async () => cleanup());

  async function databaseUrl(): Promise<string> {
    const db = await aDatabaseUrl(dialect);
    cleanup = db.cleanup;
    return db.url;
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
