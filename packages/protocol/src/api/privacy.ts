import { Type, type Static } from '@sinclair/typebox';
import {
  auditActorTypes,
  chargeStatuses,
  loanReasons,
  loanStatuses,
  personRoles,
  repairStatuses,
  repairSymptoms,
  transactionKinds,
  transactionStatuses,
} from '@cubby/core';
import { Nullable, OneOf, Time } from './common.js';

/**
 * A person's privacy export (GET /api/v1/people/:id/privacy-export) and
 * erasure (POST /api/v1/people/:id/erase): docs/privacy.md. The export is
 * everything Cubby holds about one person; credential hashes never leave,
 * only whether a badge or PIN is enrolled.
 */
const Json = Type.Record(Type.String(), Type.Unknown());

export const PrivacyPerson = Type.Object({
  id: Type.String(),
  districtId: Type.String(),
  siteId: Nullable(Type.String()),
  role: OneOf(personRoles),
  externalId: Nullable(Type.String()),
  studentNumber: Nullable(Type.String()),
  givenName: Type.String(),
  familyName: Type.String(),
  grade: Nullable(Type.String()),
  agreementAcceptedAt: Nullable(Time),
  active: Type.Boolean(),
  createdAt: Time,
  erasedAt: Nullable(Time),
});

export const PrivacyCredentials = Type.Object({
  badgeEnrolled: Type.Boolean({ description: 'a badge hash is stored (the hash itself never leaves)' }),
  offlineBadgeEnrolled: Type.Boolean({ description: "the badge's keyed form for stations' offline checks is stored" }),
  pinSet: Type.Boolean({ description: 'a PIN hash is stored' }),
});

export const PrivacyLoan = Type.Object({
  id: Type.String(),
  deviceId: Type.String(),
  assetTag: Type.String(),
  stationId: Type.String(),
  returnStationId: Nullable(Type.String()),
  transactionId: Type.String(),
  reason: OneOf(loanReasons),
  status: OneOf(loanStatuses),
  createdAt: Time,
  startedAt: Nullable(Time),
  dueAt: Time,
  endedAt: Nullable(Time),
});

export const PrivacyKioskTransaction = Type.Object({
  id: Type.String(),
  stationId: Type.String(),
  kind: OneOf(transactionKinds),
  status: OneOf(transactionStatuses),
  errorCode: Nullable(Type.String()),
  loanId: Nullable(Type.String()),
  repairTicketId: Nullable(Type.String()),
  chargeSessionId: Nullable(Type.String()),
  detail: Json,
  createdAt: Time,
  completedAt: Nullable(Time),
});

export const PrivacyChargeSession = Type.Object({
  id: Type.String(),
  deviceId: Nullable(Type.String()),
  stationId: Type.String(),
  transactionId: Type.String(),
  status: OneOf(chargeStatuses),
  createdAt: Time,
  depositedAt: Nullable(Time),
  collectedAt: Nullable(Time),
});

export const PrivacyRepairTicket = Type.Object({
  id: Type.String(),
  deviceId: Type.String(),
  assetTag: Type.String(),
  loanId: Nullable(Type.String()),
  transactionId: Nullable(Type.String()),
  status: OneOf(repairStatuses),
  symptom: OneOf(repairSymptoms),
  notes: Type.String(),
  parts: Type.String({ description: 'parts used, as the technician typed them' }),
  feeCents: Nullable(Type.Integer()),
  reportedAt: Time,
  closedAt: Nullable(Time),
  retiredAt: Nullable(Time),
});

export const PrivacyRepairPhoto = Type.Object({
  id: Type.String(),
  ticketId: Type.String(),
  contentType: Type.String(),
  size: Type.Integer({ description: 'bytes' }),
  uploadedBy: Nullable(Type.String({ description: 'the dashboard user (or API token) who attached it' })),
  uploadedAt: Time,
  url: Type.String({
    description: 'where the image itself is fetched (GET, signed in with privacy:export or a role that sees the campus)',
  }),
});

export const PrivacyAlert = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  stationId: Type.String(),
  detail: Json,
  raisedAt: Time,
  clearedAt: Nullable(Time),
});

export const PrivacyAuditEvent = Type.Object({
  seq: Nullable(Type.Integer({ description: 'null for a moment after commit, until sealed' })),
  id: Type.String(),
  at: Time,
  actorType: OneOf(auditActorTypes),
  actorId: Nullable(Type.String()),
  action: Type.String(),
  entityType: Type.String(),
  entityId: Type.String(),
  stationId: Nullable(Type.String()),
  transactionId: Nullable(Type.String()),
  data: Json,
});

export const PrivacyExport = Type.Object({
  exportedAt: Time,
  person: PrivacyPerson,
  credentials: PrivacyCredentials,
  loans: Type.Array(PrivacyLoan),
  kioskTransactions: Type.Array(PrivacyKioskTransaction),
  chargeSessions: Type.Array(PrivacyChargeSession),
  repairTickets: Type.Array(PrivacyRepairTicket),
  repairPhotos: Type.Array(PrivacyRepairPhoto, {
    description: "photos attached to the person's repair tickets, without their bytes",
  }),
  alerts: Type.Array(PrivacyAlert, { description: "raised during one of the person's kiosk transactions" }),
  auditEvents: Type.Array(PrivacyAuditEvent, { description: 'events the person did or that are about them or their records' }),
});
export type PrivacyExport = Static<typeof PrivacyExport>;

/** The sections of an export, in the order the CSV form lists them. */
export const privacyExportSections = [
  'person',
  'credentials',
  'loans',
  'kioskTransactions',
  'chargeSessions',
  'repairTickets',
  'repairPhotos',
  'alerts',
  'auditEvents',
] as const;

export const PrivacyExportQuery = Type.Object(
  { format: Type.Optional(OneOf(['json', 'csv'] as const)) },
  { additionalProperties: false },
);

/** The erasure's confirmation: the person's student number (or, without one, their id), typed again. */
export const ErasureRequest = Type.Object(
  { confirm: Type.String({ minLength: 1, maxLength: 64 }) },
  { additionalProperties: false },
);
export type ErasureRequest = Static<typeof ErasureRequest>;

export const Erasure = Type.Object({
  personId: Type.String(),
  pseudonym: Type.String({ description: 'the name the history is kept under, e.g. "Erased student 7f3a91c2"' }),
  erasedAt: Time,
  repairNotesRedacted: Type.Integer({ description: "repair tickets whose notes had the person's name or number taken out" }),
  repairPhotosDeleted: Type.Integer({ description: "photos of the person's repair tickets deleted" }),
});
export type Erasure = Static<typeof Erasure>;

/** The district's retention setting: default off (null). */
export const RetentionPolicy = Type.Object(
  {
    eraseInactiveAfterYears: Nullable(
      // 0 is taken as off too (answered as null): it used to reach the service as null only by Ajv's coercion.
      Type.Integer({
        minimum: 0,
        maximum: 50,
        description: 'erase people off the roster whose last use of Cubby is this many years ago; null or 0: never',
      }),
    ),
  },
  { additionalProperties: false },
);
export type RetentionPolicy = Static<typeof RetentionPolicy>;
