import { newId, sealAuditChain, verifyAuditChain, type CubbyDb } from '@cubby/db';
import { createTestDb, testDialects } from '@cubby/db/testing';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Keys } from '../secrets.js';
import { aDistrict, aStation, aStudent } from '../testing/builders.js';
import { startRetentionJob } from './retention.js';

const year = 365.25 * 24 * 3600_000;

/** The retention job on a fake clock: years pass between two of its runs. */
describe.each(testDialects)('the retention job on %s', (dialect) => {
  let cubby: CubbyDb;
  beforeEach(async () => {
    cubby = await createTestDb(dialect);
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await cubby.close();
  });

  const person = (id: string) => cubby.db.selectFrom('people').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('is off by default; set to 3 years it erases people off the roster once their last use is 3 years old', async () => {
    const keys = new Keys('test-secret-test-secret-test-secret-0123');
    const start = Date.UTC(2030, 8, 1);
    let now = start;
    const { districtId, siteId } = await aDistrict(cubby);
    const station = await aStation(cubby, siteId);
    const left = await aStudent(cubby, keys, districtId, { active: false, createdAt: start - 5 * year });
    const leftLately = await aStudent(cubby, keys, districtId, { active: false, createdAt: start - 5 * year });
    const enrolled = await aStudent(cubby, keys, districtId, { createdAt: start - 5 * year });
    // leftLately used a kiosk two years ago.
    await cubby.db
      .insertInto('kiosk_transactions')
      .values({
        id: newId(),
        station_id: station.stationId,
        person_id: leftLately.personId,
        request_id: newId(),
        kind: 'borrow',
        status: 'failed',
        error_code: 'no_loaner_available',
        loan_id: null,
        repair_ticket_id: null,
        charge_session_id: null,
        detail: '{}',
        created_at: start - 2 * year,
        completed_at: start - 2 * year,
      })
      .execute();

    const job = startRetentionJob(cubby, pino({ level: 'silent' }), { intervalMs: 60_000, clock: () => now });
    try {
      await vi.advanceTimersByTimeAsync(60_000);
      await job.idle();
      expect((await person(left.personId)).erased_at).toBeNull();

      const settings = JSON.stringify({ retention: { eraseInactiveAfterYears: 3 } });
      await cubby.db.updateTable('districts').set({ settings }).where('id', '=', districtId).execute();
      await vi.advanceTimersByTimeAsync(60_000);
      await job.idle();
      expect(await person(left.personId)).toMatchObject({
        erased_at: start,
        student_number: null,
        badge_hash: null,
        pin_hash: null,
      });
      expect((await person(left.personId)).given_name).toBe('Erased student');
      expect((await person(leftLately.personId)).erased_at).toBeNull();
      expect((await person(enrolled.personId)).erased_at).toBeNull();

      // A year and a half later leftLately's last visit is 3.5 years old; the enrolled student stays.
      now = start + 1.5 * year;
      await vi.advanceTimersByTimeAsync(60_000);
      await job.idle();
      expect((await person(leftLately.personId)).erased_at).toBe(now);
      expect((await person(enrolled.personId)).erased_at).toBeNull();
    } finally {
      await job.stop();
    }

    await sealAuditChain(cubby);
    expect(await verifyAuditChain(cubby)).toMatchObject({ ok: true, events: 2 });
    const events = await cubby.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'entity_id'])
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { action: 'person.erased', actor_type: 'system', entity_id: left.personId },
      { action: 'person.erased', actor_type: 'system', entity_id: leftLately.personId },
    ]);
  });
});
