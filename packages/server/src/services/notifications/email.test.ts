import { permissions, type Principal } from '@cubby/core';
import { findEmailSettings, type CubbyDb } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { anAssignedDevice, aRepairedDevice, aStudent } from '../../testing/builders.js';
import { aStationScenario, type StationScenario } from '../../testing/scenario.js';
import { ticketNumber } from '@cubby/core';
import { startSmtpCapture, type SmtpCapture } from '../../testing/smtp-capture.js';
import { listEmailDeliveries, resendEmailDelivery } from './deliveries.js';
import { changeEmailSettings, emailSettings } from './email-settings.js';
import { enqueueEmail } from './receipts.js';
import { transact } from '../deps.js';

const admin: Principal = {
  kind: 'user',
  id: 'admin-1',
  name: 'Admin',
  role: 'district_admin',
  permissions: new Set(permissions),
  siteIds: null,
};

/** The runner polls fast and retries within milliseconds here. */
const fastJobs = {
  CUBBY_JOBS_POLL_MS: '25',
  CUBBY_JOBS_RETRY_BASE_MS: '20',
  CUBBY_JOBS_RETRY_MAX_MS: '80',
  CUBBY_JOBS_LEASE_MS: '60000',
  CUBBY_SMTP_TIMEOUT_MS: '2000',
  CUBBY_SMTP_SOCKET_TIMEOUT_MS: '5000',
};

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms = 10_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const jobStates = (db: CubbyDb['db']) => db.selectFrom('jobs').select(['state', 'attempts', 'last_error', 'result']).execute();

describe.each(testDialects)('email receipts through a real SMTP server on %s', (dialect) => {
  let s: StationScenario;
  let smtp: SmtpCapture;
  afterEach(async () => {
    await s?.close();
    await smtp?.close();
  });

  async function setUp(options: { email?: string | null; language?: string | null; maxAttempts?: number } = {}) {
    smtp = await startSmtpCapture({ user: 'cubby', pass: 's3cret-pass' });
    s = await aStationScenario(dialect, {
      loaners: [90, 80],
      env: { ...fastJobs, ...(options.maxAttempts ? { CUBBY_JOBS_MAX_ATTEMPTS: String(options.maxAttempts) } : {}) },
    });
    await s.server.cubby.db
      .updateTable('people')
      .set({
        email: options.email === undefined ? 'ana@students.example.org' : options.email,
        language: options.language ?? null,
        given_name: 'Ana',
      })
      .where('id', '=', s.student.personId)
      .execute();
    await changeEmailSettings(s.server.services, admin, {
      enabled: true,
      host: '127.0.0.1',
      port: smtp.port,
      security: 'none',
      username: 'cubby',
      password: 's3cret-pass',
      fromAddress: 'lockers@district.example.org',
      defaultLanguage: 'en',
    });
  }

  it('a borrow and a return each send one receipt to the student with the loan’s facts, never the PIN or badge', async () => {
    await setUp();
    await s.borrowed();
    const [borrowMail] = await until('the borrow receipt', () => smtp.messages.length >= 1 && smtp.messages);
    const [loan] = await s.loans();
    const loaner = s.loaners.find((l) => l.deviceId === loan!.device_id)!;
    expect(borrowMail).toMatchObject({
      from: 'lockers@district.example.org',
      to: ['ana@students.example.org'],
      subject: `Loaner ${loaner.assetTag} is checked out to you`,
    });
    expect(borrowMail!.text).toContain('Hello Ana,');
    expect(borrowMail!.text).toContain(`You took loaner ${loaner.assetTag} from`);
    expect(borrowMail!.text).toMatch(/Please return it by \w+day, \w+ \d+/);
    // The password reached the server as the credential, and nowhere in the stored settings.
    expect(smtp.logins).toEqual([{ user: 'cubby', pass: 's3cret-pass' }]);
    const stored = await findEmailSettings(s.server.cubby.db, s.districtId);
    expect(JSON.stringify(stored)).not.toContain('s3cret-pass');
    expect(await emailSettings(s.server.services)).toMatchObject({ passwordSet: true, configured: true });
    expect(JSON.stringify(await emailSettings(s.server.services))).not.toContain('s3cret-pass');

    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'return' });
    await s.useDoor(txn.compartment!, true);
    await until('the return receipt', () => smtp.messages.length >= 2);
    expect(smtp.messages[1]).toMatchObject({ subject: `Loaner ${loaner.assetTag} is returned` });

    for (const m of smtp.messages) {
      expect(m.raw).not.toContain(s.student.badge);
      expect(m.raw).not.toContain('2468');
      expect(m.raw).not.toContain(s.student.studentNumber);
    }
    // Each Message-ID names its job; the job records the send with `done`.
    const jobs = await until('both done', async () => {
      const all = await jobStates(s.server.cubby.db);
      return all.every((j) => j.state === 'done') && all;
    });
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done']);
    const ids = new Set(smtp.messages.map((m) => m.messageId));
    expect(ids.size).toBe(2);
    const log = await listEmailDeliveries(s.server.services, { show: 'sent', limit: 10 });
    expect(log.items.map((d) => d.template).sort()).toEqual(['borrow_receipt', 'return_receipt']);
    expect(log.items.every((d) => d.to === 'ana@students.example.org' && ids.has(d.messageId!))).toBe(true);
  });

  it('a Spanish-speaking student gets the receipt in Spanish', async () => {
    await setUp({ language: 'es' });
    await s.borrowed();
    const [mail] = await until('the receipt', () => smtp.messages.length >= 1 && smtp.messages);
    expect(mail!.subject).toMatch(/^Tiene en préstamo el equipo /);
    expect(mail!.text).toContain('Hola, Ana:');
    expect(mail!.text).toContain('Devuélvalo antes del');
  });

  it('a swap sends one swap receipt with the repair ticket number (not a borrow receipt too)', async () => {
    await setUp();
    await anAssignedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'swap', symptom: 'screen' });
    await s.useDoor(txn.compartment!, true);
    const loanerStep = await s.link.next(
      (m) => m.type === 'transaction' && (m.transaction as { purpose: string }).purpose === 'take_loaner',
    );
    await s.useDoor((loanerStep.transaction as { compartment: number }).compartment, false);
    await s.transactionEnd(txn.id);
    const [mail] = await until('the swap receipt', () => smtp.messages.length >= 1 && smtp.messages);
    const [ticket] = await s.server.cubby.db.selectFrom('repair_tickets').select('id').execute();
    const number = ticketNumber(ticket!.id);
    expect(mail!.subject).toMatch(new RegExp(`^Repair ticket ${number}: loaner LN-\\S+ is checked out to you$`));
    expect(mail!.text).toContain(`Your repair ticket number is ${number}.`);
    await s.server.jobs!.idle();
    expect(await s.server.cubby.db.selectFrom('jobs').select('dedupe_key').execute()).toEqual([
      { dedupe_key: `email:swap_receipt:${ticket!.id}` },
    ]);
  });

  it('a technician placing a repaired device tells its owner which locker it waits in, in Spanish', async () => {
    await setUp({ language: 'es' });
    const tech = await aStudent(s.server.cubby, s.server.services.keys, s.districtId, { role: 'technician', siteId: s.siteId });
    const repaired = await aRepairedDevice(s.server.cubby, s.districtId, s.student.personId);
    const session = await s.signIn({ badge: tech.badge });
    const txn = await s.start(session, { kind: 'place_for_pickup', assetTag: repaired.assetTag });
    await s.useDoor(txn.compartment!, true);
    await s.transactionEnd(txn.id);
    const [mail] = await until('the pickup notice', () => smtp.messages.length >= 1 && smtp.messages);
    expect(mail).toMatchObject({ to: ['ana@students.example.org'], subject: 'Su equipo reparado está listo para recoger' });
    expect(mail!.text).toContain(
      `(reparación ${ticketNumber(repaired.ticketId)}) está reparado y lo espera en el casillero ${txn.compartment}`,
    );
    expect(mail!.raw).not.toContain(tech.badge);
  });

  it('a student without an email address gets nothing, and nothing is enqueued', async () => {
    await setUp({ email: null });
    await s.borrowed();
    expect(await jobStates(s.server.cubby.db)).toEqual([]);
  });

  it('a temporary refusal (451) is retried with backoff until the server accepts; the message is sent once', async () => {
    await setUp();
    smtp.refuse = (attempt) => (attempt <= 2 ? 'temporary' : null);
    await s.borrowed();
    await until('the accepted receipt', () => smtp.messages.length >= 1);
    await s.server.jobs!.idle();
    expect(smtp.attempts).toBe(3);
    const [job] = await until('done', async () => {
      const jobs = await jobStates(s.server.cubby.db);
      return jobs[0]?.state === 'done' && jobs;
    });
    expect(job).toMatchObject({ state: 'done', attempts: 3, last_error: null });
    expect(smtp.messages).toHaveLength(1);
    const retried = await listEmailDeliveries(s.server.services, { show: 'retried', limit: 10 });
    expect(retried.items).toMatchObject([{ state: 'done', attempts: 3 }]);
  });

  it('a server that keeps refusing leaves the job dead after its last attempt; a resend sends it as a new message', async () => {
    await setUp({ maxAttempts: 3 });
    smtp.refuse = () => 'temporary';
    await s.borrowed();
    const [job] = await until('dead', async () => {
      const jobs = await jobStates(s.server.cubby.db);
      return jobs[0]?.state === 'dead' && jobs;
    });
    expect(job).toMatchObject({ state: 'dead', attempts: 3 });
    expect(job!.last_error).toMatch(/451/);
    expect(smtp.attempts).toBe(3);
    expect(smtp.messages).toHaveLength(0);

    smtp.refuse = () => null;
    const dead = await listEmailDeliveries(s.server.services, { show: 'dead', limit: 10 });
    const again = await resendEmailDelivery(s.server.services, admin, dead.items[0]!.id);
    expect(again).toMatchObject({ resendOf: dead.items[0]!.id, template: 'borrow_receipt' });
    await until('the resent receipt', () => smtp.messages.length >= 1);
    expect(smtp.messages[0]!.messageId).toContain(again.id);
    const audit = await s.server.cubby.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'email.%')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['email.configured', 'email.resent']);
  });

  it('a permanent refusal (550) is dead at once', async () => {
    await setUp();
    smtp.refuse = () => 'permanent';
    await s.borrowed();
    const [job] = await until('dead', async () => {
      const jobs = await jobStates(s.server.cubby.db);
      return jobs[0]?.state === 'dead' && jobs;
    });
    expect(job).toMatchObject({ attempts: 1 });
    expect(smtp.attempts).toBe(1);
  });

  it('the same cause enqueued twice is one job (its dedupe key)', async () => {
    await setUp();
    smtp.refuse = () => 'temporary';
    for (let i = 0; i < 2; i++) {
      await transact(s.server.services, (tx) =>
        enqueueEmail(tx, {
          template: 'return_receipt',
          personId: s.student.personId,
          stationId: s.station.stationId,
          loanId: 'loan-x',
        }),
      );
    }
    expect(await s.server.cubby.db.selectFrom('jobs').select('dedupe_key').execute()).toEqual([
      { dedupe_key: 'email:return_receipt:loan-x' },
    ]);
  });
});
