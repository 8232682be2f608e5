import { canSeeSite, DomainError, type CompartmentStatus, type Principal } from '@cubby/core';
import {
  findCompartment,
  findCompartmentById,
  findCompartmentView,
  findStation,
  moveCompartment,
  newId,
  setCompartmentFields,
  type CompartmentRow,
  type Tx,
} from '@cubby/db';
import { announceCompartment, sendCommand, transact, type Services } from './deps.js';

/**
 * What a technician does to a compartment from the dashboard: open its door
 * remotely, take it out of service and back. Each is audited with who did it
 * and why, and announced like any other compartment change.
 */
function auditActor(principal: Principal) {
  // API tokens act for a person too; the audit says which kind.
  return { actorType: 'user' as const, actorId: principal.id, by: { kind: principal.kind, name: principal.name } };
}

async function stationInScope(tx: Tx, principal: Principal, stationId: string) {
  const station = await findStation(tx.db, stationId);
  if (!station || !canSeeSite(principal, station.site_id)) throw new DomainError('not_found', 'No such station');
  return station;
}

/** A door a kiosk visit is using (held, or open for a step) is not the dashboard's (nor another visit's) to open or close. */
export function isMidTransaction(c: { status: string; transaction_id: string | null }) {
  return c.transaction_id !== null || c.status === 'reserved' || c.status === 'open';
}

export async function openCompartmentRemotely(
  services: Services,
  principal: Principal,
  stationId: string,
  number: number,
  reason: string,
) {
  return transact(services, async (tx) => {
    const station = await stationInScope(tx, principal, stationId);
    const c = await findCompartment(tx.db, stationId, number);
    if (!c) throw new DomainError('not_found', `Station has no compartment ${number}`);
    // The link state is recorded by the station's own server; a station not on it cannot hear the command.
    if (station.connected !== 1) throw new DomainError('conflict', 'The station is offline', { reason: 'station_offline' });
    if (isMidTransaction(c))
      throw new DomainError('conflict', 'The compartment is in use by a kiosk transaction', { reason: 'mid_transaction' });
    const commandId = newId();
    // The command id lets the station's door_opened and lock_fault find this opening.
    await setCompartmentFields(tx.db, c.id, { command_id: commandId }, tx.now);
    sendCommand(tx, stationId, { kind: 'unlock', commandId, compartment: c.number, transactionId: null, purpose: 'remote_open' });
    const { by, ...actor } = auditActor(principal);
    tx.audit({
      ...actor,
      action: 'compartment.remote_open',
      entityType: 'compartment',
      entityId: c.id,
      stationId,
      data: { number: c.number, reason, commandId, by, deviceId: c.device_id },
    });
    announceCompartment(tx, stationId, c, c.status);
    return { commandId };
  });
}

export async function setOutOfService(
  services: Services,
  principal: Principal,
  compartmentId: string,
  outOfService: boolean,
  reason: string,
) {
  await transact(services, async (tx) => {
    const c = await findCompartmentById(tx.db, compartmentId);
    if (!c) throw new DomainError('not_found', 'No such compartment');
    await stationInScope(tx, principal, c.station_id);
    const { by, ...actor } = auditActor(principal);
    await changeCompartmentService(tx, c, outOfService, { ...actor, reason, by });
  });
  const view = await findCompartmentView(services.cubby.db, compartmentId);
  if (!view) throw new DomainError('not_found', 'No such compartment');
  const { site_id: _site, ...compartment } = view;
  return compartment;
}

/** Who takes a door out of service or puts it back, and why: a dashboard user, or a technician at the kiosk. */
export interface ServiceChange {
  actorType: 'user' | 'person';
  actorId: string;
  reason: string;
  /** The dashboard's principal kind and name (a person at the kiosk is named by their id). */
  by?: { kind: string; name: string };
}

/**
 * A door out of service or back into it, from the dashboard or the kiosk's
 * technician menu, with the same rules: a door a visit is using is refused
 * (`conflict`, reason `mid_transaction`); back in service, the sensor and the
 * records must agree (`contents_unknown`). Already so: nothing changes and
 * nothing is audited (returns null).
 */
export async function changeCompartmentService(
  tx: Tx,
  c: CompartmentRow,
  outOfService: boolean,
  who: ServiceChange,
): Promise<CompartmentStatus | null> {
  if (outOfService === (c.status === 'out_of_service')) return null;
  if (isMidTransaction(c))
    throw new DomainError('conflict', 'The compartment is in use by a kiosk transaction', { reason: 'mid_transaction' });
  // Back in service, the sensor and the record must agree: a loaded door holds a known device, an empty one nothing.
  if (!outOfService && (c.presence === 1) !== (c.device_id !== null)) {
    throw new DomainError(
      'conflict',
      c.presence === 1
        ? `Locker ${c.number} holds something Cubby has no record of: open it and take it out before returning the locker to service`
        : `Locker ${c.number} should hold a device but its sensor reads empty: find the device before returning the locker to service`,
      { reason: 'contents_unknown' },
    );
  }
  const next = await moveCompartment(tx.db, {
    id: c.id,
    from: c.status,
    event: outOfService ? { type: 'take_out_of_service' } : { type: 'return_to_service', presence: c.presence === 1 },
    now: tx.now,
  });
  tx.audit({
    actorType: who.actorType,
    actorId: who.actorId,
    action: outOfService ? 'compartment.taken_out_of_service' : 'compartment.returned_to_service',
    entityType: 'compartment',
    entityId: c.id,
    stationId: c.station_id,
    data: { number: c.number, reason: who.reason, from: c.status, to: next, ...(who.by ? { by: who.by } : {}) },
  });
  announceCompartment(tx, c.station_id, c, next);
  return next;
}
