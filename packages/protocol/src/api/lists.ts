import { Type, type Static } from '@sinclair/typebox';
import {
  auditActorTypes,
  compartmentStatuses,
  devicePools,
  deviceStatuses,
  loanReasons,
  loanStatuses,
  personRoles,
  repairStatuses,
  repairSymptoms,
} from '@cubby/core';
export { auditActorTypes, type AuditActorType } from '@cubby/core';
import { Nullable, OneOf, Time } from './common.js';

/**
 * The items of the read API's lists (GET /api/v1/<list>), camelCase, as the
 * JSON answers and the CSV exports (one column per field) carry them.
 */
export const Site = Type.Object({
  id: Type.String(),
  districtId: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  schoolDayEnd: Type.String({ description: 'local end of the school day, HH:MM' }),
  createdAt: Time,
});
export type Site = Static<typeof Site>;

export const Station = Type.Object({
  id: Type.String(),
  siteId: Type.String(),
  name: Type.String(),
  connected: Type.Boolean(),
  lastSeenAt: Nullable(Time),
  createdAt: Time,
  backlog: Type.Integer({ description: 'offline journal entries reported at the last hello and not yet applied' }),
  columns: Nullable(Type.Integer({ description: 'grid columns; null: derived from the compartment count' })),
  rows: Nullable(Type.Integer()),
});
export type Station = Static<typeof Station>;

export const Compartment = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  number: Type.Integer(),
  hasCharger: Type.Boolean(),
  status: OneOf(compartmentStatuses),
  door: Type.String(),
  presence: Type.Boolean(),
  charging: Type.Boolean(),
  deviceId: Nullable(Type.String()),
  assetTag: Nullable(Type.String()),
  batteryPercent: Nullable(Type.Integer()),
  transactionId: Nullable(Type.String()),
  updatedAt: Time,
});
export type Compartment = Static<typeof Compartment>;

export const Device = Type.Object({
  id: Type.String(),
  assetTag: Type.String(),
  serial: Nullable(Type.String()),
  model: Type.String(),
  pool: OneOf(devicePools),
  ownerId: Nullable(Type.String()),
  status: OneOf(deviceStatuses),
  condition: Type.String(),
  batteryPercent: Type.Integer(),
  loanCount: Type.Integer(),
  lastLoanedAt: Nullable(Time),
  siteId: Nullable(Type.String()),
  warrantyEnd: Nullable(Time),
  updatedAt: Time,
  stationId: Nullable(Type.String({ description: 'the station whose compartment holds it now' })),
  compartmentNumber: Nullable(Type.Integer()),
  // From Google Admin's sync (docs/google.md); null until a sync matched the device.
  googleDeviceId: Nullable(Type.String()),
  orgUnitPath: Nullable(Type.String({ description: "Google's organizational unit" })),
  googleStatus: Nullable(Type.String({ description: 'ACTIVE, DISABLED, DEPROVISIONED, …' })),
  googleLastSync: Nullable(Time),
  osUpdatesEnd: Nullable(Time),
  googleUser: Nullable(Type.String({ description: "Google's annotated or most recent user; null without people:read" })),
  batteryHealth: Nullable(Type.String({ description: "telemetry's batteryHealth" })),
  batteryCycleCount: Nullable(Type.Integer()),
  batteryWorn: Nullable(Type.Boolean({ description: 'the battery no longer lasts a school day (docs/google.md)' })),
});
export type Device = Static<typeof Device>;

export const Person = Type.Object({
  id: Type.String(),
  siteId: Nullable(Type.String()),
  role: OneOf(personRoles),
  externalId: Nullable(Type.String()),
  studentNumber: Nullable(Type.String()),
  givenName: Type.String(),
  familyName: Type.String(),
  grade: Nullable(Type.String()),
  agreementAcceptedAt: Nullable(Time),
  active: Type.Boolean(),
  erasedAt: Nullable(
    Type.Integer({ description: 'epoch ms when the identity was erased: the name is a pseudonym (docs/privacy.md)' }),
  ),
});
export type Person = Static<typeof Person>;

export const Loan = Type.Object({
  id: Type.String(),
  deviceId: Type.String(),
  personId: Type.String(),
  stationId: Type.String(),
  compartmentId: Type.String(),
  transactionId: Type.String(),
  reason: OneOf(loanReasons),
  status: OneOf(loanStatuses),
  createdAt: Time,
  startedAt: Nullable(Time),
  dueAt: Time,
  endedAt: Nullable(Time),
  returnStationId: Nullable(Type.String()),
  assetTag: Type.String(),
  siteId: Type.String({ description: 'campus of the station it was borrowed at' }),
  personName: Nullable(Type.String({ description: 'null without people:read' })),
  overdue: Type.Boolean({ description: 'out past its due time' }),
  repairTicketId: Nullable(Type.String({ description: "a swap's loaner: the repair ticket of the device left for it" })),
  repairAssetTag: Nullable(Type.String({ description: 'the asset tag of the device that ticket is about' })),
});
export type Loan = Static<typeof Loan>;

export const RepairTicket = Type.Object({
  id: Type.String(),
  deviceId: Type.String(),
  assetTag: Type.String(),
  model: Type.String(),
  personId: Nullable(Type.String()),
  personName: Nullable(Type.String({ description: 'null without people:read' })),
  loanId: Nullable(Type.String()),
  status: OneOf(repairStatuses),
  symptom: OneOf(repairSymptoms),
  notes: Type.String(),
  costCents: Nullable(Type.Integer()),
  warrantyClaim: Type.Boolean(),
  feeCents: Nullable(Type.Integer()),
  compartmentId: Nullable(Type.String()),
  stationId: Nullable(Type.String()),
  compartmentNumber: Nullable(Type.Integer()),
  reportedStationId: Nullable(Type.String()),
  reportedAt: Time,
  awaitingCollectionAt: Nullable(Time),
  collectedAt: Nullable(Time),
  inRepairAt: Nullable(Time),
  repairedAt: Nullable(Time),
  readyForPickupAt: Nullable(Time),
  closedAt: Nullable(Time),
  retiredAt: Nullable(Time),
  loanerDeviceId: Nullable(Type.String({ description: "the ticket's loaner (from its swap), if any" })),
  loanerAssetTag: Nullable(Type.String()),
  loanerEndedAt: Nullable(Time),
});
export type RepairTicket = Static<typeof RepairTicket>;

/**
 * The names behind an audit event's ids, read when the log is read (the event
 * itself holds ids only). Null where the viewer may not see it: another
 * campus's person, station or loaner, or any person's name without people:read.
 */
export const AuditNames = Type.Object({
  actor: Nullable(Type.String({ description: "the person's, station's or staff member's name (an erased person's pseudonym)" })),
  subject: Nullable(
    Type.String({ description: 'the name of what the event is about, when it is a person, station, campus, user or API token' }),
  ),
  station: Nullable(Type.String()),
  campus: Nullable(Type.String({ description: "the station's campus" })),
  device: Nullable(Type.String({ description: 'asset tag of the device the event is about (its data, or its loan)' })),
});
export type AuditNames = Static<typeof AuditNames>;

export const AuditEvent = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  at: Time,
  actorType: OneOf(auditActorTypes),
  actorId: Nullable(Type.String()),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  stationId: Nullable(Type.String()),
  transactionId: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  prevHash: Type.String(),
  hash: Type.String(),
  names: AuditNames,
  timeZone: Type.String({
    description: "the time zone of the event's campus (its station's, else the district's), for local times",
  }),
});
export type AuditEvent = Static<typeof AuditEvent>;

/** Loan views the dashboard filters by besides the stored statuses. */
export const loanViews = ['active', 'overdue', 'history'] as const;
/** Repair tickets neither closed nor retired. */
export const repairViews = ['open'] as const;
