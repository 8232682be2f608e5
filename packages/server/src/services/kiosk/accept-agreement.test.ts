import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { aDistrict, aLoaner, aStation, aStudent } from '../../testing/builders.js';
import { startTestServer, type TestServer } from '../../testing/harness.js';
import { StationDouble } from '../../testing/station-double.js';

const agreement = { en: ['Bring it back by the end of the day.'], es: ['Devuélvela al final del día.'] };

describe.each(testDialects)('the loaner agreement on %s', (dialect) => {
  let server: TestServer;
  let link: StationDouble;
  afterEach(async () => {
    link?.close();
    await server?.close();
  });

  async function setUp(withText: boolean) {
    server = await startTestServer(dialect);
    const { districtId, siteId } = await aDistrict(server.cubby, {
      policy: { requireAgreement: true },
      ...(withText ? { agreement } : {}),
    });
    const station = await aStation(server.cubby, siteId);
    await aLoaner(server.cubby, districtId, station.compartments[0]!.id);
    const student = await aStudent(server.cubby, server.services.keys, districtId);
    link = await StationDouble.connect(server.url, station.token);
    await link.hello();
    return student;
  }

  it("a first-time borrower is shown the district's own text, in both languages, until they accept it", async () => {
    const student = await setUp(true);
    const first = await link.request({ type: 'auth', credential: { badge: student.badge } });
    expect(first.data).toMatchObject({ agreementRequired: true, agreement });
    const session = (first.data as { session: string }).session;
    const refused = await link.request({ type: 'request', session, action: { kind: 'borrow', reason: 'forgotten' } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'agreement_required' } });
    expect(await link.request({ type: 'request', session, action: { kind: 'accept_agreement' } })).toMatchObject({ ok: true });
    const person = await server.cubby.db
      .selectFrom('people')
      .select('agreement_accepted_at')
      .where('id', '=', student.personId)
      .executeTakeFirstOrThrow();
    expect(person.agreement_accepted_at).not.toBeNull();
    const again = await link.request({ type: 'auth', credential: { badge: student.badge } });
    expect(again.data).toMatchObject({ agreementRequired: false });
    expect(again.data).not.toHaveProperty('agreement');
  });

  it('a district without its own text leaves the kiosk to show the built-in agreement', async () => {
    const student = await setUp(false);
    const first = await link.request({ type: 'auth', credential: { badge: student.badge } });
    expect(first.data).toMatchObject({ agreementRequired: true });
    expect(first.data).not.toHaveProperty('agreement');
  });
});
