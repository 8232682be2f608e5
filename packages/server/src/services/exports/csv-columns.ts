import { localIsoTime } from '@cubby/core';
import type { AuditEvent, Compartment, Device, Loan, Person, RepairTicket, Site, Station } from '@cubby/protocol/api';
import type { Places } from './places.js';

/** A column of a list's CSV export: a header a person reads and the cell of one item. */
export interface CsvColumn<T> {
  header: string;
  cell(item: T, places: Places): unknown;
}

const field = <T>(header: string, key: keyof T & string): CsvColumn<T> => ({ header, cell: (item) => item[key] });
const column = <T>(header: string, cell: CsvColumn<T>['cell']): CsvColumn<T> => ({ header, cell });
const money = (cents: number | null) => (cents === null ? null : (cents / 100).toFixed(2));

/**
 * Each list's CSV: readable headers, campus and station names for their ids,
 * and times as ISO 8601 local time with offset in the row's campus zone. The
 * row's own id stays last, so a file can be matched back to the API.
 */
export const csvColumns = {
  sites: [
    field<Site>('Campus', 'name'),
    field<Site>('Time zone', 'timeZone'),
    field<Site>('School day ends', 'schoolDayEnd'),
    column<Site>('Added', (s, p) => p.localTime(s.createdAt, s.id)),
    field<Site>('Campus ID', 'id'),
  ],
  stations: [
    field<Station>('Station', 'name'),
    column<Station>('Campus', (s, p) => p.siteName(s.siteId)),
    column<Station>('Online', (s) => (s.connected ? 'yes' : 'no')),
    column<Station>('Last seen', (s, p) => p.localTime(s.lastSeenAt, s.siteId)),
    field<Station>('Offline entries waiting', 'backlog'),
    field<Station>('Grid columns', 'columns'),
    field<Station>('Grid rows', 'rows'),
    column<Station>('Added', (s, p) => p.localTime(s.createdAt, s.siteId)),
    field<Station>('Station ID', 'id'),
  ],
  compartments: [
    column<Compartment>('Station', (c, p) => p.stationName(c.stationId)),
    column<Compartment>('Campus', (c, p) => p.siteName(p.siteOfStation(c.stationId))),
    field<Compartment>('Locker', 'number'),
    column<Compartment>('Charger', (c) => (c.hasCharger ? 'yes' : 'no')),
    field<Compartment>('Status', 'status'),
    field<Compartment>('Door', 'door'),
    column<Compartment>('Device inside', (c) => (c.presence ? 'yes' : 'no')),
    column<Compartment>('Charging', (c) => (c.charging ? 'yes' : 'no')),
    field<Compartment>('Asset tag', 'assetTag'),
    field<Compartment>('Battery %', 'batteryPercent'),
    column<Compartment>('Updated', (c, p) => p.localTime(c.updatedAt, p.siteOfStation(c.stationId))),
    field<Compartment>('Compartment ID', 'id'),
  ],
  devices: [
    field<Device>('Asset tag', 'assetTag'),
    field<Device>('Serial', 'serial'),
    field<Device>('Model', 'model'),
    field<Device>('Pool', 'pool'),
    field<Device>('Status', 'status'),
    field<Device>('Condition', 'condition'),
    field<Device>('Battery %', 'batteryPercent'),
    field<Device>('Loans', 'loanCount'),
    column<Device>('Last loaned', (d, p) => p.localTime(d.lastLoanedAt, d.siteId)),
    column<Device>('Campus', (d, p) => p.siteName(d.siteId)),
    column<Device>('Station', (d, p) => p.stationName(d.stationId)),
    field<Device>('Locker', 'compartmentNumber'),
    column<Device>('Warranty ends', (d, p) => p.localTime(d.warrantyEnd, d.siteId)),
    column<Device>('Updated', (d, p) => p.localTime(d.updatedAt, d.siteId)),
    field<Device>('Owner ID', 'ownerId'),
    field<Device>('Device ID', 'id'),
    field<Device>('Google status', 'googleStatus'),
    field<Device>('Google OU', 'orgUnitPath'),
    column<Device>('OS updates end', (d, p) => p.localTime(d.osUpdatesEnd, d.siteId)),
    column<Device>('Battery worn', (d) => (d.batteryWorn === null ? '' : d.batteryWorn ? 'yes' : 'no')),
  ],
  people: [
    field<Person>('Family name', 'familyName'),
    field<Person>('Given name', 'givenName'),
    field<Person>('Student number', 'studentNumber'),
    field<Person>('SIS ID', 'externalId'),
    field<Person>('Grade', 'grade'),
    field<Person>('Role', 'role'),
    column<Person>('Campus', (r, p) => p.siteName(r.siteId)),
    column<Person>('Agreement accepted', (r, p) => p.localTime(r.agreementAcceptedAt, r.siteId)),
    column<Person>('On the roster', (r) => (r.active ? 'yes' : 'no')),
    column<Person>('Erased', (r, p) => p.localTime(r.erasedAt, r.siteId)),
    field<Person>('Person ID', 'id'),
  ],
  loans: [
    field<Loan>('Asset tag', 'assetTag'),
    field<Loan>('Person', 'personName'),
    field<Loan>('Reason', 'reason'),
    column<Loan>('Status', (l) => (l.overdue ? 'overdue' : l.status)),
    column<Loan>('Campus', (l, p) => p.siteName(l.siteId)),
    column<Loan>('Borrowed at', (l, p) => p.stationName(l.stationId)),
    column<Loan>('Started', (l, p) => p.localTime(l.startedAt ?? l.createdAt, l.siteId)),
    column<Loan>('Due', (l, p) => p.localTime(l.dueAt, l.siteId)),
    column<Loan>('Ended', (l, p) => p.localTime(l.endedAt, l.siteId)),
    column<Loan>('Returned at', (l, p) => p.stationName(l.returnStationId)),
    field<Loan>('Person ID', 'personId'),
    field<Loan>('Loan ID', 'id'),
  ],
  'repair-tickets': repairColumns(),
  'audit-events': [
    column<AuditEvent>('Time', (e) => localIsoTime(e.at, e.timeZone)),
    column<AuditEvent>('Campus', (e) => e.names.campus),
    column<AuditEvent>('Station', (e) => e.names.station),
    field<AuditEvent>('Actor type', 'actorType'),
    column<AuditEvent>('Actor', (e) => e.names.actor),
    field<AuditEvent>('Action', 'action'),
    field<AuditEvent>('Subject type', 'entityType'),
    column<AuditEvent>('Subject', (e) => e.names.subject),
    column<AuditEvent>('Device', (e) => e.names.device),
    field<AuditEvent>('Details', 'data'),
    field<AuditEvent>('Sequence', 'seq'),
    field<AuditEvent>('Actor ID', 'actorId'),
    field<AuditEvent>('Subject ID', 'entityId'),
    field<AuditEvent>('Kiosk visit ID', 'transactionId'),
    field<AuditEvent>('Hash', 'hash'),
    field<AuditEvent>('Previous hash', 'prevHash'),
    field<AuditEvent>('Event ID', 'id'),
  ],
} satisfies Record<string, CsvColumn<never>[]>;

function repairColumns(): CsvColumn<RepairTicket>[] {
  const siteOf = (r: RepairTicket, p: Places) => p.siteOfStation(r.reportedStationId ?? r.stationId);
  const step = (header: string, key: keyof RepairTicket & `${string}At`) =>
    column<RepairTicket>(header, (r, p) => p.localTime(r[key] as number | null, siteOf(r, p)));
  return [
    field('Asset tag', 'assetTag'),
    field('Model', 'model'),
    field('Person', 'personName'),
    field('Status', 'status'),
    field('Symptom', 'symptom'),
    field('Notes', 'notes'),
    column('Cost', (r) => money(r.costCents)),
    column('Warranty claim', (r) => (r.warrantyClaim ? 'yes' : 'no')),
    column('Fee', (r) => money(r.feeCents)),
    column('Campus', (r, p) => p.siteName(siteOf(r, p))),
    column('Reported at', (r, p) => p.stationName(r.reportedStationId)),
    column('Station now', (r, p) => p.stationName(r.stationId)),
    field('Locker', 'compartmentNumber'),
    step('Reported', 'reportedAt'),
    step('Awaiting collection', 'awaitingCollectionAt'),
    step('Collected', 'collectedAt'),
    step('In repair', 'inRepairAt'),
    step('Repaired', 'repairedAt'),
    step('Ready for pickup', 'readyForPickupAt'),
    step('Closed', 'closedAt'),
    step('Retired', 'retiredAt'),
    field('Person ID', 'personId'),
    field('Ticket ID', 'id'),
  ];
}
