import type { Principal } from '@cubby/core';
import { contactsOfPerson, findSite, listDevices, type Executor, type PersonRecord } from '@cubby/db';
import type { Person, PersonProfile } from '@cubby/protocol/api';
import { districtTimeZone } from '../audit/audit-log.js';
import { personFor } from '../district-records.js';

/**
 * One person as the dashboard's person page shows them: their record, whether
 * a badge and a PIN are enrolled (never the hashes), their own devices, their
 * guardians from the roster (the route asks people:read). Their
 * loans and repair tickets are the lists' (`/loans?personId=`).
 */
export async function personProfile(db: Executor, principal: Principal, personId: string): Promise<PersonProfile> {
  const record = await personFor({ db }, principal, personId);
  const [devices, contacts, site] = await Promise.all([
    listDevices(db, { ownerId: personId, limit: 20, sort: 'updatedAt', order: 'desc' }),
    contactsOfPerson(db, personId),
    record.siteId ? findSite(db, record.siteId) : undefined,
  ]);
  return {
    person: toPerson(record),
    badgeEnrolled: Boolean(record.badgeEnrolled),
    pinSet: Boolean(record.pinSet),
    devices: devices.items,
    contacts,
    timeZone: site?.time_zone ?? (await districtTimeZone(db, principal.siteIds)),
  };
}

export function toPerson(r: PersonRecord): Person {
  return {
    id: r.id,
    siteId: r.siteId,
    role: r.role,
    externalId: r.externalId,
    studentNumber: r.studentNumber,
    givenName: r.givenName,
    familyName: r.familyName,
    grade: r.grade,
    agreementAcceptedAt: r.agreementAcceptedAt == null ? null : Number(r.agreementAcceptedAt),
    active: Number(r.active) === 1,
    erasedAt: r.erasedAt == null ? null : Number(r.erasedAt),
  };
}
