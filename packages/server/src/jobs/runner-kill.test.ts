import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inTransaction, type CubbyDb, type Dialect } from '@cubby/db';
import { describe, expect, it } from 'vitest';
import { Keys } from '../secrets.js';
import { aDistrict, aStation, aStudent } from '../testing/builders.js';
import { aFaultDatabase, type FaultDatabase } from '../testing/faults/database.js';
import { faultSecret, ServerProcess } from '../testing/faults/server-process.js';
import { startSmtpCapture, type SmtpCapture } from '../testing/smtp-capture.js';
import { emailJobKind } from '../services/notifications/receipts.js';

/**
 * The job runner across crashes and instances: the real server in child
 * processes over one database, sending to a real SMTP server that counts
 * every message by Message-ID.
 */
const jobEnv = {
  CUBBY_JOBS_POLL_MS: '50',
  CUBBY_JOBS_LEASE_MS: '3000',
  CUBBY_JOBS_BATCH: '3',
  CUBBY_SMTP_TIMEOUT_MS: '500',
  CUBBY_SMTP_SOCKET_TIMEOUT_MS: '1500',
};

async function until<T>(what: string, probe: () => Promise<T | false> | T | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A district whose email goes to the capture, a student with an address, and `count` receipts enqueued. */
async function emailsEnqueued(cubby: CubbyDb, smtp: SmtpCapture, count: number): Promise<string[]> {
  const { districtId, siteId } = await aDistrict(cubby);
  const station = await aStation(cubby, siteId);
  const student = await aStudent(cubby, new Keys(faultSecret), districtId);
  await cubby.db.updateTable('people').set({ email: 'ana@students.example.org' }).where('id', '=', student.personId).execute();
  await cubby.db
    .insertInto('email_settings')
    .values({
      district_id: districtId,
      enabled: 1,
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      username: null,
      password_sealed: null,
      from_address: 'lockers@district.example.org',
      reply_to: null,
      default_language: 'en',
      updated_at: Date.now(),
      updated_by: null,
    })
    .execute();
  for (let i = 0; i < count; i++) {
    await inTransaction(cubby, async (tx) =>
      tx.enqueue(
        emailJobKind,
        { template: 'return_receipt', personId: student.personId, stationId: station.stationId, at: tx.now },
        { key: `test:${i}` },
      ),
    );
  }
  return (await cubby.db.selectFrom('jobs').select('id').execute()).map((j) => j.id);
}

const allDone = async (cubby: CubbyDb) => {
  const rows = await cubby.db.selectFrom('jobs').select('state').execute();
  return rows.every((r) => r.state === 'done') && rows;
};

describe.each(['sqlite', 'postgres'] as Dialect[])('the job runner on %s', (dialect) => {
  it(
    'killed with SIGKILL mid-run and restarted, it sends every message, none lost, each Message-ID once or as a same-ID repeat',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cubby-jobs-kill-'));
      const smtp = await startSmtpCapture({ delayMs: 60 });
      let database: FaultDatabase | undefined;
      let server: ServerProcess | undefined;
      const cubby = await (async () => {
        database = await aFaultDatabase(dialect);
        return database.open();
      })();
      try {
        const jobIds = await emailsEnqueued(cubby, smtp, 24);
        server = await ServerProcess.on(database!, dir, jobEnv);
        await server.start();
        await until('some messages before the kill', () => smtp.messages.length >= 6);
        await server.kill();
        const atKill = smtp.messages.length;
        expect(atKill).toBeLessThan(24);
        await server.start();
        await until('every job done after the restart', () => allDone(cubby));

        const counts = smtp.byMessageId();
        // None lost: each job's Message-ID arrived.
        expect([...counts.keys()].sort()).toEqual(jobIds.map((id) => `<${id}@district.example.org>`).sort());
        // A repeat can only be a message accepted in the instant between the server's reply and the
        // job's `done` write when the kill came (at most a batch); it carries the same Message-ID.
        const repeats = smtp.messages.length - counts.size;
        console.info(`${dialect}: ${atKill} messages before the kill, ${repeats} same-ID repeats after it`);
        expect(repeats).toBeLessThanOrEqual(3);
        const jobs = await cubby.db.selectFrom('jobs').select(['id', 'result']).execute();
        for (const job of jobs) {
          const result = (typeof job.result === 'string' ? JSON.parse(job.result) : job.result) as { messageId: string };
          expect(result.messageId).toBe(`<${job.id}@district.example.org>`);
        }
      } finally {
        await server?.kill();
        await cubby.close();
        await database?.drop();
        await smtp.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});

describe('three servers on one PostgreSQL', () => {
  it('send each email exactly once between them', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cubby-jobs-three-'));
    const smtp = await startSmtpCapture({ delayMs: 20 });
    const database = await aFaultDatabase('postgres');
    const cubby = database.open();
    const servers: ServerProcess[] = [];
    try {
      const jobIds = await emailsEnqueued(cubby, smtp, 45);
      for (let i = 0; i < 3; i++) {
        servers.push(await ServerProcess.on(database, mkdtempSync(join(dir, `s${i}-`)), jobEnv));
      }
      await Promise.all(servers.map((s) => s.start()));
      await until('every job done', () => allDone(cubby));
      expect(smtp.messages).toHaveLength(45);
      const counts = smtp.byMessageId();
      expect(counts.size).toBe(45);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      expect([...counts.keys()].sort()).toEqual(jobIds.map((id) => `<${id}@district.example.org>`).sort());
      // No job needed a second attempt: no claim was ever shared or lost.
      const jobs = await cubby.db.selectFrom('jobs').select(['attempts', 'result']).execute();
      expect(jobs.every((j) => Number(j.attempts) === 1)).toBe(true);
      const byWorker = new Map<string, number>();
      for (const j of jobs) {
        const { worker } = (typeof j.result === 'string' ? JSON.parse(j.result) : j.result) as { worker: string };
        byWorker.set(worker, (byWorker.get(worker) ?? 0) + 1);
      }
      console.info(`jobs per server instance: ${[...byWorker.values()].join(', ')}`);
    } finally {
      await Promise.all(servers.map((s) => s.kill()));
      await cubby.close();
      await database.drop();
      await smtp.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
