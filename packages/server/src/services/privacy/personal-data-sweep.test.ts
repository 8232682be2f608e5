import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { sealAuditChain } from '@cubby/db';
import { testDialects } from '@cubby/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../app.js';
import { anAssignedDevice, aStudent } from '../../testing/builders.js';
import { anOfflineCapableStation, waitFor, type OfflineCapableStation } from '../../testing/offline-station.js';
import { aUser, signIn, type Browser } from '../../testing/users.js';

/**
 * docs/privacy.md says where each piece of personal data may be found. This
 * plays a school day through a real station agent (borrow by badge, swap by
 * student number + PIN, return, an offline borrow replayed later, a wrong
 * PIN), reads the dashboard's lists and their CSV exports and a privacy
 * export, and searches everything produced: every server and station log
 * line, the station's journal files, the audit log, every export. Badges
 * and PINs appear nowhere; names, student numbers and SIS ids only where the
 * document says staff with people:read (or privacy:export) see them.
 */
class Lines extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text.push(chunk.toString('utf8'));
    done();
  }
}

const maribel = {
  givenName: 'Maribel',
  familyName: 'Quintanilla',
  studentNumber: 'QX-48213',
  externalId: 'SIS-557731',
  badge: '7301946',
  pin: '9713',
};
const thaddeus = {
  givenName: 'Thaddeus',
  familyName: 'Okonkwo-Vance',
  studentNumber: 'QX-50877',
  externalId: 'SIS-660142',
  badge: '7309821',
  pin: '5286',
};
/** A value found inside a longer run of digits (a timestamp, a port) is not that value. */
const pattern = (value: string) => new RegExp(`(?<![0-9A-Za-z])${value.replace(/[-]/g, '\\-')}(?![0-9A-Za-z])`, 'i');
const secrets = [maribel.badge, maribel.pin, thaddeus.badge, thaddeus.pin];
const identity = [maribel, thaddeus].flatMap((p) => [p.givenName, p.familyName, p.studentNumber, p.externalId]);

function found(values: string[], text: string): string[] {
  return values.filter((v) => pattern(v).test(text));
}

describe.each(testDialects)('personal data after a school day on %s', (dialect) => {
  let w: OfflineCapableStation;
  const serverLog = new Lines();
  const stationLog = new Lines();
  const exports = new Map<string, string>();
  let admin: Browser;

  beforeAll(async () => {
    w = await anOfflineCapableStation(dialect, {
      loaners: [95, 90, 85],
      doors: 8,
      students: 0,
      serverLog: createLogger('debug', serverLog),
      stationLog: pino({ level: 'debug' }, stationLog),
    });
    const db = w.server.cubby;
    const m = await aStudent(db, w.server.services.keys, w.districtId, maribel);
    const t = await aStudent(db, w.server.services.keys, w.districtId, thaddeus);
    await anAssignedDevice(db, w.districtId, t.personId);
    await w.boot();
    await w.online();
    await playTheDay();
    admin = await signIn(w.server.app, await aUser(db, { role: 'district_admin' }));
    await readTheDashboard(m.personId);
  }, 120_000);
  afterAll(async () => w?.close());

  async function playTheDay() {
    expect((await w.visit(maribel.badge, { kind: 'borrow', reason: 'forgotten' })).status).toBe('completed');
    expect((await w.visit(maribel.badge, { kind: 'return' })).status).toBe('completed');
    await expect(w.agent.signIn({ studentNumber: thaddeus.studentNumber, pin: '0000' })).rejects.toMatchObject({
      code: 'wrong_pin',
    });
    await swapAtTheKiosk();
    // Offline: the station lends on its own and journals it; the server hears it once the link is back.
    await w.offline();
    expect((await w.visit(maribel.badge, { kind: 'borrow', reason: 'forgotten' })).offline).toBe(true);
    await w.online();
    await w.journalDrained();
  }

  async function swapAtTheKiosk() {
    await w.agent.signIn({ studentNumber: thaddeus.studentNumber, pin: thaddeus.pin });
    const { transaction } = await w.agent.act({ kind: 'swap', symptom: 'screen', notes: 'cracked after a fall' });
    const first = transaction!.compartment!;
    await waitFor(() => w.bank.door(first) === 'open', 'the deposit door');
    w.bank.put(first, 20);
    w.bank.closeDoor(first);
    const next = await w.agent.waitForTransaction(transaction!.id, (x) => x.status !== 'in_progress' || x.compartment !== first);
    const second = next.compartment!;
    await waitFor(() => w.bank.door(second) === 'open', 'the loaner door');
    w.bank.take(second);
    w.bank.closeDoor(second);
    expect((await w.agent.waitForTransaction(transaction!.id)).status).toBe('completed');
    w.agent.signOut();
  }

  async function readTheDashboard(personId: string) {
    const get = async (url: string) => {
      const res = await w.server.app.inject({ method: 'GET', url, headers: admin.headers });
      expect(res.statusCode, url).toBe(200);
      exports.set(url, res.body);
    };
    for (const list of ['sites', 'stations', 'compartments', 'devices', 'audit-events', 'people', 'loans', 'repair-tickets']) {
      await get(`/api/v1/${list}?limit=500`);
      await get(`/api/v1/${list}?format=csv`);
    }
    // Searches a technician types: the name and the student number go in the query string.
    await get(`/api/v1/people?q=${maribel.familyName}`);
    await get(`/api/v1/people?studentNumber=${thaddeus.studentNumber}`);
    await get(`/api/v1/loans?status=history&q=${maribel.givenName}`);
    await get(`/api/v1/people/${personId}/privacy-export`);
    await get(`/api/v1/people/${personId}/privacy-export?format=csv`);
  }

  /** Where docs/privacy.md says names and numbers may be read: by people:read staff, and the privacy export. */
  const namesAllowed = (url: string) => /^\/api\/v1\/(people|loans|repair-tickets)\b/.test(url);
  /** The audit log names people as it is read (people:read), never their numbers. */
  const onlyNamesAllowed = (url: string) => /^\/api\/v1\/audit-events\b/.test(url);
  const names = [maribel, thaddeus].flatMap((p) => [p.givenName, p.familyName]);

  it('the day happened: loans, a swap with its repair ticket, an offline borrow replayed', async () => {
    const loans = await w.loans();
    expect(loans.map((l) => l.status).sort()).toEqual(['active', 'active', 'returned']);
    expect(await w.server.cubby.db.selectFrom('repair_tickets').selectAll().execute()).toHaveLength(1);
    expect(serverLog.text.length).toBeGreaterThan(20);
    expect(stationLog.text.length).toBeGreaterThan(0);
  });

  it('no log line, journal file or audit event holds a badge, a PIN, a name, a student number or an SIS id', async () => {
    await sealAuditChain(w.server.cubby);
    const audit = JSON.stringify(await w.server.cubby.db.selectFrom('audit_events').selectAll().execute());
    const journal = readdirSync(w.journalDir).map((f) => readFileSync(join(w.journalDir, f)).toString('latin1'));
    expect(journal.join('').length).toBeGreaterThan(1000);
    const places = {
      'server log': serverLog.text.join(''),
      'station log': stationLog.text.join(''),
      journal: journal.join(''),
      audit,
    };
    for (const [place, text] of Object.entries(places)) expect(found([...secrets, ...identity], text), place).toEqual([]);
  });

  it('exports hold names and numbers only where docs/privacy.md says, and never a badge or a PIN', async () => {
    for (const [url, body] of exports) {
      expect(found(secrets, body), url).toEqual([]);
      if (onlyNamesAllowed(url))
        expect(
          found(
            identity.filter((i) => !names.includes(i)),
            body,
          ),
          url,
        ).toEqual([]);
      else if (!namesAllowed(url)) expect(found(identity, body), url).toEqual([]);
    }
    // The allowed places do name the student (the search above can find what it looks for).
    expect(found(identity, exports.get('/api/v1/people?format=csv')!)).toEqual(identity);
    expect(exports.get(`/api/v1/people?q=${maribel.familyName}`)).toContain(maribel.studentNumber);
  });
});
