import { Type, type Static, type TInteger, type TString } from '@sinclair/typebox';
import {
  auditActorTypes,
  deviceStatuses,
  loanStatuses,
  repairDashboardEvents,
  repairStatuses,
  repairSymptoms,
  transactionKinds,
  warrantyStates,
} from '@cubby/core';
import { Nullable, OneOf, TextInteger, Time } from './common.js';

/**
 * The dashboard's repair board (GET /api/v1/repairs/board), its ticket page
 * (GET /api/v1/repairs/:id) and the changes made from them (issue 14). The
 * list GET /api/v1/repair-tickets stays the read API's; these are the repair
 * workflow's own shapes. Every time is epoch milliseconds (UTC).
 */

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max, pattern: '\\S' });
const Id = Type.String({ maxLength: 64 });

/**
 * A value or null in a request body, as one schema with two types: Ajv's
 * type coercion (on for the server) would turn a null sent to a
 * `Nullable(…)` union's first branch into 0 or "" instead.
 */
const OrNull = <T extends TString | TInteger>(t: T, options: { description?: string } = {}) =>
  Type.Unsafe<Static<T> | null>({ ...t, type: [t.type, 'null'], ...options });

// ---- The board ----

export const RepairBoardQuery = Type.Object(
  {
    siteId: Type.Optional(Id),
    model: Type.Optional(Type.String({ maxLength: 100, description: 'exact model name' })),
    symptom: Type.Optional(OneOf(repairSymptoms)),
    technicianId: Type.Optional(Id),
    minAgeDays: Type.Optional(
      TextInteger({ minimum: 0, maximum: 3650, description: 'only cards at least this many days in their state' }),
    ),
  },
  { additionalProperties: false },
);
export type RepairBoardQuery = Static<typeof RepairBoardQuery>;

/** A dashboard user a ticket may be assigned to. */
export const RepairTechnician = Type.Object({ id: Type.String(), name: Type.String() });
export type RepairTechnician = Static<typeof RepairTechnician>;

export const RepairCard = Type.Object({
  id: Type.String(),
  status: OneOf(repairStatuses),
  deviceId: Type.String(),
  assetTag: Type.String(),
  model: Type.String(),
  personId: Nullable(Type.String()),
  personName: Nullable(Type.String({ description: 'null without people:read or without a person' })),
  symptom: OneOf(repairSymptoms),
  siteId: Nullable(Type.String({ description: "the ticket's campus (its device's, else where it was reported)" })),
  campusName: Nullable(Type.String()),
  enteredAt: Time,
  ageMs: Type.Integer({ description: 'milliseconds since the ticket entered its state (its *_at)' }),
  technicianId: Nullable(Type.String()),
  technicianName: Nullable(Type.String()),
  costCents: Nullable(Type.Integer()),
});
export type RepairCard = Static<typeof RepairCard>;

export const RepairColumn = Type.Object({ status: OneOf(repairStatuses), cards: Type.Array(RepairCard) });
export type RepairColumn = Static<typeof RepairColumn>;

/** Durations of one kind (a state, or reported→closed): how many completed, their median and 90th percentile. */
export const TurnaroundStat = Type.Object({
  count: Type.Integer(),
  medianMs: Nullable(Type.Integer({ description: 'null when count is 0' })),
  p90Ms: Nullable(Type.Integer({ description: 'null when count is 0' })),
});
export type TurnaroundStat = Static<typeof TurnaroundStat>;

export const TurnaroundState = Type.Object({
  status: OneOf(repairStatuses),
  count: Type.Integer(),
  medianMs: Nullable(Type.Integer()),
  p90Ms: Nullable(Type.Integer()),
});
export type TurnaroundState = Static<typeof TurnaroundState>;

/** Time spent in each state a ticket left (closed and retired have none) and end to end (reported→closed). */
export const TurnaroundGroup = Type.Object({
  states: Type.Array(TurnaroundState, { description: 'one per state from reported to ready_for_pickup, in order' }),
  endToEnd: TurnaroundStat,
});
export type TurnaroundGroup = Static<typeof TurnaroundGroup>;

export const RepairTurnaround = Type.Object({
  overall: TurnaroundGroup,
  campuses: Type.Array(Type.Composite([Type.Object({ siteId: Type.String(), name: Type.String() }), TurnaroundGroup])),
  models: Type.Array(Type.Composite([Type.Object({ model: Type.String() }), TurnaroundGroup])),
});
export type RepairTurnaround = Static<typeof RepairTurnaround>;

export const RepairBoard = Type.Object({
  generatedAt: Time,
  columns: Type.Array(RepairColumn, { description: 'one per ticket state, in the order of repairStatuses' }),
  turnaround: RepairTurnaround,
  technicians: Type.Array(RepairTechnician, { description: 'who a ticket may be assigned to (the filter and the form)' }),
  models: Type.Array(Type.String(), { description: 'models of the tickets visible, for the filter' }),
});
export type RepairBoard = Static<typeof RepairBoard>;

// ---- The ticket page ----

export const RepairDevice = Type.Object({
  id: Type.String(),
  assetTag: Type.String(),
  model: Type.String(),
  serial: Nullable(Type.String()),
  status: OneOf(deviceStatuses),
  warrantyEndsAt: Nullable(Time),
  warranty: OneOf(warrantyStates, { description: "from the device's warranty end against now; unknown without one" }),
});
export type RepairDevice = Static<typeof RepairDevice>;

export const RepairPerson = Type.Object({
  id: Type.String(),
  name: Nullable(Type.String({ description: 'null without people:read' })),
});
export type RepairPerson = Static<typeof RepairPerson>;

/** One step the ticket took: the state it entered, when, and who moved it (from the audit trail). */
export const RepairStep = Type.Object({
  status: OneOf(repairStatuses),
  at: Time,
  actorType: Nullable(OneOf(auditActorTypes)),
  actorId: Nullable(Type.String()),
  actorName: Nullable(Type.String({ description: "null when unknown or a person's name without people:read" })),
});
export type RepairStep = Static<typeof RepairStep>;

export const repairPhotoTypes = ['image/jpeg', 'image/png', 'image/webp'] as const;
/** The largest photo the server takes, in bytes. */
export const repairPhotoMaxBytes = 5 * 1024 * 1024;

export const RepairPhoto = Type.Object({
  id: Type.String(),
  contentType: OneOf(repairPhotoTypes),
  size: Type.Integer(),
  uploadedBy: Nullable(Type.String()),
  uploadedByName: Nullable(Type.String()),
  uploadedAt: Time,
});
export type RepairPhoto = Static<typeof RepairPhoto>;

/** swap → ticket → loaner → pickup. */
export const RepairLinks = Type.Object({
  swap: Nullable(
    Type.Object({
      transactionId: Type.String(),
      kind: OneOf(transactionKinds, { description: 'swap, or drop_off (left for repair without a loaner)' }),
      stationId: Type.String(),
      stationName: Nullable(Type.String()),
      at: Time,
    }),
  ),
  loaner: Nullable(
    Type.Object({
      loanId: Type.String(),
      deviceId: Type.String(),
      assetTag: Type.String(),
      status: OneOf(loanStatuses),
      returned: Type.Boolean(),
      endedAt: Nullable(Time),
    }),
  ),
  pickup: Nullable(
    Type.Object({
      transactionId: Type.String(),
      stationId: Type.String(),
      stationName: Nullable(Type.String()),
      at: Time,
      completedAt: Nullable(Time),
    }),
  ),
});
export type RepairLinks = Static<typeof RepairLinks>;

export const RepairTicketDetail = Type.Object({
  id: Type.String(),
  status: OneOf(repairStatuses),
  symptom: OneOf(repairSymptoms),
  notes: Type.String(),
  parts: Type.String(),
  costCents: Nullable(Type.Integer()),
  vendorRef: Nullable(Type.String()),
  warrantyClaim: Type.Boolean(),
  feeCents: Nullable(Type.Integer()),
  technicianId: Nullable(Type.String()),
  technicianName: Nullable(Type.String()),
  openedBy: Nullable(Type.String({ description: 'who opened it by hand on the dashboard; null for a kiosk swap' })),
  siteId: Nullable(Type.String()),
  campusName: Nullable(Type.String()),
  reportedAt: Time,
  device: RepairDevice,
  person: Nullable(RepairPerson),
  steps: Type.Array(RepairStep, { description: 'oldest first' }),
  photos: Type.Array(RepairPhoto),
  links: RepairLinks,
  /** The moves the dashboard may make from here (repairDashboardEvents that core allows). */
  nextEvents: Type.Array(OneOf(repairDashboardEvents)),
  timeZone: Type.String({ description: "the ticket's campus's time zone (else the district's)" }),
});
export type RepairTicketDetail = Static<typeof RepairTicketDetail>;

// ---- Changes ----

/** A ticket opened by hand (a device brought to the IT office): it starts `collected`. */
export const RepairOpen = Type.Object(
  {
    deviceId: Id,
    symptom: OneOf(repairSymptoms),
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    personId: Type.Optional(OrNull(Id, { description: "who brought it; defaults to the device's owner" })),
    loanId: Type.Optional(
      OrNull(Id, { description: "a loaner this person holds now, recorded as the ticket's loaner (no loan changes)" }),
    ),
  },
  { additionalProperties: false },
);
export type RepairOpen = Static<typeof RepairOpen>;

export const RepairMoveInput = Type.Object(
  {
    event: OneOf(repairDashboardEvents),
    from: Type.Optional(OneOf(repairStatuses, { description: 'the state the client saw; a 409 problem when it moved since' })),
  },
  { additionalProperties: false },
);
export type RepairMoveInput = Static<typeof RepairMoveInput>;

export const RepairChange = Type.Object(
  {
    notes: Type.Optional(Type.String({ maxLength: 2000 })),
    parts: Type.Optional(Type.String({ maxLength: 2000 })),
    costCents: Type.Optional(OrNull(Type.Integer({ minimum: 0, maximum: 100_000_000 }))),
    vendorRef: Type.Optional(OrNull(Text(100))),
    technicianId: Type.Optional(OrNull(Id, { description: 'a dashboard user (RepairBoard.technicians); null: nobody' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type RepairChange = Static<typeof RepairChange>;

export const RepairPhotoParams = Type.Object({ id: Id, photoId: Id });
export type RepairPhotoParams = Static<typeof RepairPhotoParams>;
