import type { Principal } from '@cubby/core';
import { findAuditNames, listAuditEvents, sitesInScope, type AuditNameIds, type AuditNames, type Executor } from '@cubby/db';
import type { AuditEvent } from '@cubby/protocol/api';

type AuditArgs = Parameters<typeof listAuditEvents>[1];
type StoredEvent = Awaited<ReturnType<typeof listAuditEvents>>['items'][number];

/**
 * The audit log as a person reads it: each event with the names behind its
 * ids and its campus's time zone, resolved now (the chain holds ids only, so
 * it never changes, and an erased student shows under their pseudonym). Names
 * are limited to what the caller may see (`findAuditNames`).
 */
export async function listAuditLog(db: Executor, principal: Principal, args: AuditArgs) {
  const page = await listAuditEvents(db, args);
  return { ...page, items: await nameAuditEvents(db, principal, page.items) };
}

/** Stored events with the names the caller may see and their campus's zone (the log's, a device's timeline). */
export async function nameAuditEvents(db: Executor, principal: Principal, events: StoredEvent[]): Promise<AuditEvent[]> {
  const names = await findAuditNames(db, idsOf(events), {
    scope: principal.siteIds,
    people: principal.permissions.has('people:read'),
  });
  const fallbackZone = await districtTimeZone(db, principal.siteIds);
  return events.map((event) => named(event, names, fallbackZone));
}

/** For events of no campus (settings, users): the zone of the caller's first campus. */
export async function districtTimeZone(db: Executor, scope: readonly string[] | null): Promise<string> {
  const [first] = await sitesInScope(db, scope);
  return first?.timeZone ?? 'UTC';
}

const text = (value: unknown) => (typeof value === 'string' && value ? value : null);

function idsOf(events: StoredEvent[]): AuditNameIds {
  const ids: AuditNameIds = { people: [], stations: [], users: [], devices: [], sites: [], loans: [] };
  const kinds: Record<string, keyof AuditNameIds> = {
    person: 'people',
    station: 'stations',
    user: 'users',
    api_token: 'users',
    site: 'sites',
    loan: 'loans',
  };
  const actorKinds: Record<string, keyof AuditNameIds> = { person: 'people', station: 'stations', user: 'users' };
  for (const e of events) {
    const actorKind = actorKinds[e.actorType];
    if (actorKind && e.actorId) ids[actorKind].push(e.actorId);
    const entityKind = kinds[e.entityType];
    if (entityKind) ids[entityKind].push(e.entityId);
    if (e.stationId) ids.stations.push(e.stationId);
    const deviceId = text(e.data.deviceId);
    if (deviceId) ids.devices.push(deviceId);
    const siteId = text(e.data.siteId);
    if (siteId) ids.sites.push(siteId);
    const personId = text(e.data.personId);
    if (personId) ids.people.push(personId);
  }
  return ids;
}

function named(e: StoredEvent, names: AuditNames, fallbackZone: string): AuditEvent {
  const station = e.stationId ? names.stations.get(e.stationId) : undefined;
  const site = (e.entityType === 'site' ? names.sites.get(e.entityId) : undefined) ?? names.sites.get(text(e.data.siteId) ?? '');
  const nameOf = (type: string, id: string | null): string | null => {
    if (!id) return null;
    if (type === 'person') return names.people.get(id) ?? null;
    if (type === 'station') return names.stations.get(id)?.name ?? null;
    if (type === 'user' || type === 'api_token') return names.users.get(id) ?? null;
    if (type === 'site') return names.sites.get(id)?.name ?? null;
    return null;
  };
  return {
    ...e,
    names: {
      actor: nameOf(e.actorType, e.actorId),
      // A device's event (its assignment) is about the person in its data.
      subject: nameOf(e.entityType, e.entityId) ?? nameOf('person', text(e.data.personId)),
      station: station?.name ?? null,
      campus: station?.siteName ?? site?.name ?? null,
      device:
        names.devices.get(text(e.data.deviceId) ?? '') ??
        (e.entityType === 'loan' ? names.loanDevices.get(e.entityId) : undefined) ??
        null,
    },
    timeZone: station?.timeZone ?? site?.timeZone ?? fallbackZone,
  };
}
