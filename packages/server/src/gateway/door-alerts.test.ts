import { afterEach, describe, expect, it } from 'vitest';
import { testDialects } from '@cubby/db/testing';
import { sealAndVerify } from '@cubby/db/testing';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';

describe.each(testDialects)('a door left open on %s', (dialect) => {
  let s: StationScenario;
  afterEach(async () => s?.close());

  const alerts = () => s.server.cubby.db.selectFrom('alerts').selectAll().orderBy('raised_at').execute();
  const leftOpen = (compartment: number, openForMs: number) =>
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_left_open', compartment, openForMs } });

  it('raises exactly one open alert, audits it, and clears it when the door closes', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    const session = await s.signIn();
    const txn = await s.start(session, { kind: 'borrow', reason: 'forgotten' });
    const unlock = await s.link.next((m) => m.type === 'unlock' && m.compartment === 1);
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_opened', compartment: 1, commandId: unlock.commandId } });

    leftOpen(1, 60_000);
    leftOpen(1, 120_000); // the station reports again: still one alert
    await s.link.ping();
    const open = await alerts();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({
      kind: 'door_left_open',
      station_id: s.station.stationId,
      compartment_id: s.station.compartments[0]!.id,
      cleared_at: null,
    });
    const audited = await s.server.cubby.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'compartment.door_left_open')
      .execute();
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      entity_id: s.station.compartments[0]!.id,
      station_id: s.station.stationId,
      transaction_id: txn.id,
    });

    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_closed', compartment: 1, presence: false } });
    expect(await s.transactionEnd(txn.id)).toMatchObject({ status: 'completed' });
    const cleared = await alerts();
    expect(cleared).toHaveLength(1);
    expect(cleared[0]!.cleared_at).not.toBeNull();
    // The loan still completed normally.
    expect(await s.loans()).toMatchObject([{ status: 'active' }]);
    expect(await sealAndVerify(s.server.cubby)).toMatchObject({ ok: true });
  });

  it('a door opened without a command and left open raises an alert that clears on close', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_opened', compartment: 4 } });
    leftOpen(4, 30_000);
    await s.link.ping();
    expect(await alerts()).toMatchObject([{ kind: 'door_left_open', cleared_at: null }]);
    expect(await s.auditActions()).toEqual(
      expect.arrayContaining(['compartment.door_opened_without_command', 'compartment.door_left_open']),
    );

    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_closed', compartment: 4, presence: false } });
    await s.link.ping();
    const [alert] = await alerts();
    expect(alert!.cleared_at).not.toBeNull();
    expect(await s.compartment(4)).toMatchObject({ door: 'closed', status: 'empty' });

    // Left open again later: a new alert, since the first one was cleared.
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_opened', compartment: 4 } });
    leftOpen(4, 30_000);
    await s.link.ping();
    const all = await alerts();
    expect(all).toHaveLength(2);
    expect(all.filter((a) => a.cleared_at === null)).toHaveLength(1);
  });

  it('an alert on one door is not cleared by another door closing', async () => {
    s = await aStationScenario(dialect, { loaners: [90] });
    for (const n of [3, 4]) s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_opened', compartment: n } });
    leftOpen(3, 30_000);
    s.link.send({ type: 'event', at: Date.now(), event: { kind: 'door_closed', compartment: 4, presence: false } });
    await s.link.ping();
    expect(await alerts()).toMatchObject([{ compartment_id: s.station.compartments[2]!.id, cleared_at: null }]);
  });
});
