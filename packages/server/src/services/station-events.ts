import { DomainError } from '@cubby/core';
import {
  clearAlerts,
  findCompartmentWithStep,
  insertAlert,
  moveCompartment,
  newId,
  openAlert,
  setBattery,
  setChargeSensed,
  setCompartmentFields,
  setStationConnected,
  setStationJournalSeq,
  setStationOffline,
  type CompartmentRow,
  type KioskStep,
  type Tx,
} from '@cubby/db';
import type { CompartmentReading, StationEventBody } from '@cubby/protocol';
import { announceCompartment, transact, type Services } from './deps.js';
import { completeStep, failOver, settleStep } from './kiosk/door-events.js';

/** A compartment an event is about, and how to audit what it did. */
interface EventAt {
  tx: Tx;
  stationId: string;
  compartment: CompartmentRow;
  /** The kiosk step holding the door, read with it. */
  step: KioskStep | undefined;
  /** The door has an open door_left_open alert. */
  doorLeftOpenAlert: boolean;
  audit(action: string, data?: Record<string, unknown>): void;
}

/**
 * Sensor and lock events from a station. The station id comes from its
 * authenticated link, so a station can only ever touch its own compartments.
 */
export async function handleStationEvent(services: Services, stationId: string, event: StationEventBody): Promise<void> {
  try {
    await applyStationEvent(services, stationId, event, false);
  } catch (error) {
    if (!(error instanceof StepNotSettled)) throw error;
    // The step failed and took its transaction with it. Settle it again, this
    // time in a savepoint, so a step the server cannot settle is flagged for a
    // technician (settleStep) rather than lost with the event. Only this rare
    // path pays for the savepoint's two statements.
    await applyStationEvent(services, stationId, event, true);
  }
}

/** A door's step that threw while settling on the direct path. */
class StepNotSettled extends Error {
  constructor(readonly reason: unknown) {
    super('the step did not settle', { cause: reason });
  }
}

async function applyStationEvent(
  services: Services,
  stationId: string,
  event: StationEventBody,
  /** Settle a door's step in a savepoint, flagging it if it fails. */
  careful: boolean,
): Promise<void> {
  await transact(services, async (tx) => {
    const found = await findCompartmentWithStep(tx.db, stationId, event.compartment);
    if (!found) throw new DomainError('not_found', `Compartment ${event.compartment} is not part of this station`);
    const { compartment, step, doorLeftOpenAlert } = found;
    const audit = (action: string, data: Record<string, unknown> = {}) =>
      tx.audit({
        actorType: 'station',
        actorId: stationId,
        action,
        entityType: 'compartment',
        entityId: compartment.id,
        stationId,
        transactionId: compartment.transaction_id,
        data: { number: compartment.number, ...data },
      });
    const at: EventAt = { tx, stationId, compartment, step, doorLeftOpenAlert, audit };
    switch (event.kind) {
      case 'door_opened':
        return onDoorOpened(at);
      case 'door_closed':
        return onDoorClosed(at, event, careful);
      case 'presence_changed':
        // While a door is open the closing event carries the final reading.
        if (compartment.door === 'closed' && (compartment.presence === 1) !== event.presence) {
          await setCompartmentFields(tx.db, compartment.id, { presence: event.presence ? 1 : 0 }, tx.now);
          audit('compartment.presence_changed_while_closed', { presence: event.presence });
        }
        return;
      case 'lock_fault': {
        if (compartment.command_id !== event.commandId) return; // a stale command
        await raiseAlert(tx, stationId, compartment, 'lock_fault', { detail: event.detail });
        audit('compartment.lock_fault', { detail: event.detail });
        await failOver(tx, stationId, compartment, step);
        return;
      }
      case 'door_left_open':
        if (await openAlert(tx.db, stationId, compartment.id, 'door_left_open')) return;
        await raiseAlert(tx, stationId, compartment, 'door_left_open', { openForMs: event.openForMs });
        audit('compartment.door_left_open', { openForMs: event.openForMs });
        return;
      case 'battery':
        if (compartment.device_id) await setBattery(tx.db, compartment.device_id, event.battery, tx.now);
        return;
      case 'charge_state':
        // Only a port with a device on a charger has anything to say; the estimate reads it (core).
        if (compartment.device_id && compartment.has_charger === 1)
          await setChargeSensed(tx.db, compartment.id, event.state, tx.now);
        return;
    }
  });
}

async function onDoorOpened({ tx, stationId, compartment, audit }: EventAt): Promise<void> {
  if (compartment.door === 'open') return; // a repeated event changes nothing
  // A door held for a later step (a swap's loaner door) opened early, by key:
  // it stays held, so closing it cannot start a loan before the deposit.
  let status = compartment.status;
  if (status === 'reserved' && compartment.command_id === null)
    await setCompartmentFields(tx.db, compartment.id, { door: 'open' }, tx.now);
  else
    status = await moveCompartment(tx.db, {
      id: compartment.id,
      from: compartment.status,
      event: { type: 'door_opened' },
      now: tx.now,
      set: { door: 'open' },
    });
  audit(compartment.command_id ? 'compartment.door_opened' : 'compartment.door_opened_without_command');
  announceCompartment(tx, stationId, compartment, status);
}

async function onDoorClosed(
  { tx, stationId, compartment, step, doorLeftOpenAlert, audit }: EventAt,
  event: { presence: boolean },
  careful: boolean,
): Promise<void> {
  // A lost door_opened still completes the step: the door closed after its unlock.
  const unlockedStep = compartment.status === 'reserved' && compartment.command_id !== null;
  // Otherwise a closed door closing again changes nothing, even one held for a later step.
  if (compartment.door === 'closed' && !unlockedStep) return;
  if (doorLeftOpenAlert) await clearAlerts(tx.db, compartment.id, 'door_left_open', tx.now);
  const inStep = compartment.status === 'open' || unlockedStep;
  if (compartment.transaction_id && compartment.purpose && inStep) {
    // A step that cannot settle is flagged rather than lost with this event.
    if (careful) await settleStep(tx, stationId, compartment, event.presence, step);
    else
      await completeStep(tx, stationId, compartment, event.presence, step).catch((error: unknown) => {
        throw new StepNotSettled(error);
      });
    return;
  }
  if (compartment.status === 'reserved') {
    // The held door closed again after a key opening: still held, reading noted.
    await setCompartmentFields(tx.db, compartment.id, { door: 'closed', presence: event.presence ? 1 : 0 }, tx.now);
    audit('compartment.door_closed', { presence: event.presence });
    return;
  }
  // Opened without a transaction (a key) and closed empty: whatever was
  // inside is no longer in this compartment; the audit says which device.
  const removed = !event.presence && compartment.device_id !== null;
  const status = await moveCompartment(tx.db, {
    id: compartment.id,
    from: compartment.status,
    event: { type: 'door_closed', presence: event.presence },
    now: tx.now,
    set: { door: 'closed', presence: event.presence ? 1 : 0, ...(removed ? { device_id: null } : {}) },
  });
  audit(removed ? 'compartment.device_removed_without_transaction' : 'compartment.door_closed', {
    presence: event.presence,
    ...(removed ? { deviceId: compartment.device_id } : {}),
  });
  announceCompartment(tx, stationId, compartment, status);
}

async function raiseAlert(
  tx: Tx,
  stationId: string,
  compartment: CompartmentRow,
  kind: 'lock_fault' | 'door_left_open',
  detail: Record<string, unknown>,
) {
  const alertId = newId();
  await insertAlert(tx.db, {
    id: alertId,
    kind,
    station_id: stationId,
    compartment_id: compartment.id,
    detail,
    raised_at: tx.now,
    cleared_at: null,
  });
  tx.emit({ type: 'alert.raised', alertId, kind, stationId, compartmentNumber: compartment.number });
}

/** A station (re)connected: record it online and take its sensor readings as they are. */
export async function stationConnected(
  services: Services,
  stationId: string,
  readings: CompartmentReading[],
  journalSeq?: number,
): Promise<void> {
  await transact(services, async (tx) => {
    await setStationConnected(tx.db, stationId, true, tx.now);
    // What the station still holds of its offline journal: the dashboard's backlog.
    if (journalSeq !== undefined) await setStationJournalSeq(tx.db, stationId, journalSeq);
    for (const r of readings) {
      const found = await findCompartmentWithStep(tx.db, stationId, r.number);
      if (!found) continue;
      const c = found.compartment;
      // A step's door that closed while the link was down: the reading finishes the step,
      // since the queued door_closed that follows finds the door closed already.
      // So does a door unlocked for a step whose door_opened never came (the agent died
      // between the unlock and the pulse, or before reporting it): as with a lost
      // door_opened (handleStationEvent), the closed door's presence decides the step.
      // Each such step settles in its own savepoint: one the server cannot settle is flagged
      // for a technician (settleStep) and must not roll back the hello, or the station would
      // never be welcomed again (it sends the same readings each time).
      const unlockedStep = c.status === 'open' || (c.status === 'reserved' && c.command_id !== null);
      if (c.transaction_id && c.purpose && unlockedStep && r.door === 'closed') {
        await settleStep(tx, stationId, c, r.presence, found.step);
        continue;
      }
      if (c.door !== r.door || (c.presence === 1) !== r.presence || (c.charging === 1) !== r.charging) {
        await setCompartmentFields(
          tx.db,
          c.id,
          { door: r.door, presence: r.presence ? 1 : 0, charging: r.charging ? 1 : 0 },
          tx.now,
        );
      }
      if (c.device_id && r.battery !== undefined) await setBattery(tx.db, c.device_id, r.battery, tx.now);
      if (c.device_id && c.has_charger === 1 && r.chargeState) await setChargeSensed(tx.db, c.id, r.chargeState, tx.now);
    }
    tx.audit({
      actorType: 'station',
      actorId: stationId,
      action: 'station.connected',
      entityType: 'station',
      entityId: stationId,
      stationId,
    });
    tx.emit({ type: 'station.connection', stationId, connected: true });
  });
}

/**
 * A station's link closed. Only a station recorded online goes offline: a link
 * refused at hello (or closed before it) never connected, so it leaves no trace.
 */
export async function stationDisconnected(services: Services, stationId: string): Promise<void> {
  await transact(services, async (tx) => {
    if (!(await setStationOffline(tx.db, stationId, tx.now))) return;
    tx.audit({
      actorType: 'station',
      actorId: stationId,
      action: 'station.disconnected',
      entityType: 'station',
      entityId: stationId,
      stationId,
    });
    tx.emit({ type: 'station.connection', stationId, connected: false });
  });
}
