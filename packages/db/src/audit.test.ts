import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CubbyDb } from './connect.js';
import { sealAuditChain, verifyAuditChain } from './audit.js';
import { createTestDb, testDialects } from './testing.js';
import { inTransaction } from './transaction.js';

describe.each(testDialects)('audit chain on %s', (dialect) => {
  let cubby: CubbyDb;
  beforeEach(async () => {
    cubby = await createTestDb(dialect);
  });
  afterEach(async () => {
    await cubby.close();
  });

  // Writes, then seals (a no-op on SQLite, which seals as it writes).
  const write = async (n: number) => {
    await inTransaction(cubby, async (tx) => {
      for (let i = 0; i < n; i++) {
        tx.audit({
          actorType: 'system',
          actorId: null,
          action: 'test.event',
          entityType: 'thing',
          entityId: `t${i}`,
          data: { i, nested: { b: 1, a: [1, 'x'] } },
        });
      }
    });
    await sealAuditChain(cubby);
  };

  it('an untouched chain verifies', async () => {
    await write(3);
    await write(2);
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: true, events: 5 });
  });

  it('an empty chain verifies', async () => {
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: true, events: 0 });
  });

  it('an edited event is reported as the first broken link', async () => {
    await write(5);
    await cubby.db.updateTable('audit_events').set({ entity_id: 'forged' }).where('seq', '=', 3).execute();
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });

  it('a deleted event is reported', async () => {
    await write(5);
    await cubby.db.deleteFrom('audit_events').where('seq', '=', 2).execute();
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: false, brokenAtSeq: 2, reason: 'event missing' });
  });

  it('a truncated tail is reported through the chain head', async () => {
    await write(4);
    await cubby.db.deleteFrom('audit_events').where('seq', '=', 4).execute();
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: false, brokenAtSeq: 4 });
  });

  it('a rolled-back transaction leaves no audit event', async () => {
    await write(1);
    await expect(
      inTransaction(cubby, async (tx) => {
        tx.audit({ actorType: 'system', actorId: null, action: 'x', entityType: 'y', entityId: 'z' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: true, events: 1 });
  });

  it('events are unsealed until the sealer runs on PostgreSQL, and sealed at once on SQLite', async () => {
    await inTransaction(cubby, async (tx) => {
      tx.audit({ actorType: 'system', actorId: null, action: 'x', entityType: 'y', entityId: 'z' });
    });
    const before = await verifyAuditChain(cubby);
    expect(before).toMatchObject(
      dialect === 'postgres' ? { ok: true, events: 0, unsealed: 1 } : { ok: true, events: 1, unsealed: 0 },
    );
    expect(await sealAuditChain(cubby)).toBe(dialect === 'postgres' ? 1 : 0);
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: true, events: 1, unsealed: 0 });
  });

  it('sealers running at once never fork the chain', async () => {
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        inTransaction(cubby, async (tx) => {
          tx.audit({ actorType: 'system', actorId: null, action: 'x', entityType: 'y', entityId: `z${i}` });
        }),
      ),
    );
    await Promise.all([sealAuditChain(cubby, 3), sealAuditChain(cubby, 3), sealAuditChain(cubby, 3)]);
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: true, events: 10, unsealed: 0 });
  });

  it('concurrent writers never fork the chain', async () => {
    await Promise.all(Array.from({ length: 20 }, () => write(3)));
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: true, events: 60 });
  });
});
