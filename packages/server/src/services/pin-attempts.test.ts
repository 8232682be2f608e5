import { testDialects } from '@cubby/db/testing';
import { SignInRefusal } from '@cubby/protocol';
import { Value } from '@sinclair/typebox/value';
import { afterEach, describe, expect, it } from 'vitest';
import { aStudent } from '../testing/builders.js';
import { startTestServer, type TestServer } from '../testing/harness.js';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { StationDouble } from '../testing/station-double.js';

describe.each(testDialects)('wrong PINs counted per student number, station and district on %s', (dialect) => {
  let s: StationScenario;
  let second: TestServer | undefined;
  afterEach(async () => {
    await second?.close();
    second = undefined;
    await s?.close();
  });

  const withPin = (at: StationDouble, studentNumber: string, pin = '1234') =>
    at.request({ type: 'auth', credential: { studentNumber, pin } });
  const codeOf = (answer: Record<string, unknown>) => (answer.ok ? 'ok' : (answer.error as { code: string }).code);

  it('each wrong PIN says how many tries the number has left, the last one for how long it is locked, the same for an unknown number', async () => {
    s = await aStationScenario(dialect);
    const answers = async (studentNumber: string) => {
      const seen = [];
      for (let i = 0; i < 5; i++) seen.push(await withPin(s.link, studentNumber, '0000'));
      return seen.map((a) => a.error);
    };
    const expected = [4, 3, 2, 1].map((triesLeft) => ({ code: 'wrong_pin', data: { triesLeft } }));
    const known = await answers(s.student.studentNumber);
    expect(known.slice(0, 4)).toMatchObject(expected);
    // The wrong PIN that uses the last try starts the lockout: 15 minutes by default.
    expect(known[4]).toMatchObject({ code: 'wrong_pin', data: { triesLeft: 0, retryAfter: 900 } });
    for (const answer of known) expect(Value.Check(SignInRefusal, (answer as { data: unknown }).data)).toBe(true);
    // The right PIN now: locked, and for how much longer.
    const locked = (await withPin(s.link, s.student.studentNumber, '2468')).error as {
      code: string;
      data: { retryAfter: number };
    };
    expect(locked.code).toBe('locked_out');
    expect(locked.data.retryAfter).toBeGreaterThan(890);
    expect(locked.data.retryAfter).toBeLessThanOrEqual(900);
    // A number no student has is answered exactly alike: the counts tell nobody who exists.
    expect(await answers('S999999')).toEqual(known);
  });

  it('one common PIN sprayed over 30 student numbers at one station: after 20 wrong PINs nobody signs in, an alert is raised, badges still work', async () => {
    s = await aStationScenario(dialect);
    const { keys } = s.server.services;
    const withoutPin = await Promise.all(Array.from({ length: 24 }, () => aStudent(s.server.cubby, keys, s.districtId)));
    const common = [];
    for (let i = 0; i < 6; i++) common.push(await aStudent(s.server.cubby, keys, s.districtId, { pin: '1234' }));

    // Sent at once, as a script at a kiosk would: exactly the configured 20 are checked.
    const first = (await Promise.all(withoutPin.map((p) => withPin(s.link, p.studentNumber)))).map(codeOf);
    expect(first.filter((c) => c === 'wrong_pin')).toHaveLength(20);
    expect(first.filter((c) => c === 'throttled')).toHaveLength(4);
    for (const p of common) {
      const answer = await withPin(s.link, p.studentNumber);
      expect(answer).toMatchObject({ ok: false, error: { code: 'throttled', data: { retryAfter: expect.any(Number) } } });
    }

    const alerts = await s.server.cubby.db.selectFrom('alerts').selectAll().where('kind', '=', 'pin_guessing').execute();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ station_id: s.station.stationId, compartment_id: null, cleared_at: null });
    expect(await s.auditActions()).toContain('station.pin_guessing');
    // The pause is for PINs at this station only: a badge here and a PIN at another station still sign in.
    expect(await s.signIn()).toEqual(expect.any(String));
    const other = await s.anotherStation();
    expect(codeOf(await withPin(other.link, common[0]!.studentNumber))).toBe('ok');
  });

  it('wrong PINs across stations pause PIN sign-in in the whole district past its limit', async () => {
    s = await aStationScenario(dialect, { env: { CUBBY_PIN_DISTRICT_MAX_FAILURES: '4' } });
    const b = await s.anotherStation('Gym');
    const c = await s.anotherStation('Office');
    for (const at of [s.link, s.link, b.link, b.link]) expect(codeOf(await withPin(at, 'S999999', '0000'))).toBe('wrong_pin');
    expect(codeOf(await withPin(c.link, s.student.studentNumber, '2468'))).toBe('throttled');
    expect(await s.signIn(undefined, c.link)).toEqual(expect.any(String));
  });

  it("a student number's lockout holds at a second server instance on the same database", async () => {
    const env = { CUBBY_PIN_MAX_FAILURES: '3' };
    s = await aStationScenario(dialect, { env });
    for (let i = 0; i < 3; i++) expect(codeOf(await withPin(s.link, s.student.studentNumber, '0000'))).toBe('wrong_pin');
    second = await startTestServer(dialect, env, { sameDatabaseAs: s.server });
    // The station's link fails over to the other instance.
    s.link.close();
    const link = await StationDouble.connect(second.url, s.station.token);
    await link.hello();
    try {
      expect(await withPin(link, s.student.studentNumber, '2468')).toMatchObject({ ok: false, error: { code: 'locked_out' } });
    } finally {
      link.close();
    }
  });
});
