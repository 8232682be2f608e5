/**
 * The district's audit log: a year of station, loan and device events, sealed
 * into one hash chain from the genesis hash with the product's own chainHash,
 * so verifyAuditChain accepts it.
 */
import { chainHash, type AuditBody } from '@cubby/db';
import type { DistrictShape, Emit, Row } from './dashboard-district.js';
import { idAt, type Random } from './dashboard-random.js';

const day = 86_400_000;

const auditKinds = [
  { action: 'compartment.door_opened', entity: 'compartment', weight: 24 },
  { action: 'compartment.door_closed', entity: 'compartment', weight: 24 },
  { action: 'loan.claimed', entity: 'loan', weight: 9 },
  { action: 'loan.started', entity: 'loan', weight: 9 },
  { action: 'loan.returned', entity: 'loan', weight: 9 },
  { action: 'charge.started', entity: 'device', weight: 6 },
  { action: 'charge.collected', entity: 'device', weight: 6 },
  { action: 'repair.created', entity: 'device', weight: 3 },
  { action: 'compartment.door_left_open', entity: 'compartment', weight: 2 },
  { action: 'station.connected', entity: 'station', weight: 3 },
  { action: 'station.disconnected', entity: 'station', weight: 3 },
  { action: 'person.agreement_accepted', entity: 'person', weight: 2 },
] as const;

/** The audit log of a year, sealed into one hash chain from the genesis hash, as the product seals it. */
export async function generateAudit(
  shape: DistrictShape,
  now: number,
  random: Random,
  ids: { stationIds: string[]; compartmentIds: string[]; people: string[]; deviceIds: string[] },
  emit: Emit,
  batch: number,
) {
  const wheel = auditKinds.flatMap((k) => Array<(typeof auditKinds)[number]>(k.weight).fill(k));
  const start = now - 365 * day;
  const step = (365 * day - 60_000) / shape.auditEvents;
  let prevHash = '0'.repeat(64);
  let seq = 0;
  let txId: string | null = null;
  for (let first = 0; first < shape.auditEvents; first += batch) {
    const rows: Row[] = [];
    for (let n = first; n < Math.min(shape.auditEvents, first + batch); n++) {
      const at = Math.floor(start + n * step);
      const kind = wheel[random.int(wheel.length)]!;
      const s = random.int(ids.stationIds.length);
      const stationId = ids.stationIds[s]!;
      const number = 1 + random.int(shape.compartmentsPerStation);
      if (n % 4 === 0) txId = idAt(random, at);
      let entityId: string;
      let data: Record<string, unknown>;
      let actor: [AuditBody['actor_type'], string | null] = ['station', stationId];
      switch (kind.entity) {
        case 'compartment':
          entityId = ids.compartmentIds[s * shape.compartmentsPerStation + number - 1]!;
          data = { number, ...(kind.action === 'compartment.door_closed' ? { presence: random.next() < 0.5 } : {}) };
          break;
        case 'loan':
          entityId = idAt(random, at);
          data = { deviceId: ids.deviceIds[shape.students + random.int(shape.loaners)]!, reason: 'forgotten' };
          actor = ['person', ids.people[random.int(shape.students)]!];
          break;
        case 'device':
          entityId = ids.deviceIds[random.int(shape.students)]!;
          data = { number };
          actor = ['person', ids.people[random.int(shape.students)]!];
          break;
        case 'person':
          entityId = ids.people[random.int(shape.students)]!;
          data = {};
          actor = ['person', entityId];
          break;
        default:
          entityId = stationId;
          data = {};
      }
      seq += 1;
      const body: AuditBody = {
        seq,
        id: idAt(random, at),
        at,
        actor_type: actor[0],
        actor_id: actor[1],
        action: kind.action,
        entity_type: kind.entity,
        entity_id: entityId,
        station_id: stationId,
        transaction_id: kind.entity === 'station' ? null : txId,
        data,
      };
      const hash = chainHash(prevHash, body);
      rows.push([
        body.id,
        seq,
        at,
        body.actor_type,
        body.actor_id,
        body.action,
        body.entity_type,
        body.entity_id,
        body.station_id,
        body.transaction_id,
        JSON.stringify(data),
        prevHash,
        hash,
      ]);
      prevHash = hash;
    }
    await emit('audit_events', rows);
  }
  return { seq, hash: prevHash };
}
