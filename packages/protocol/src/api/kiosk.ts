import { Type, type Static } from '@sinclair/typebox';
import { CompartmentReading, Credential, KioskAction, TransactionUpdate } from '../messages.js';
import { Problem } from './problem.js';

/*
 * The kiosk API: what the station agent serves the kiosk browser on
 * 127.0.0.1 (packages/station/src/kiosk-api.ts), and the sign-in answer the
 * server gives the agent on the link. One schema per shape: the agent's
 * routes validate with them, the server and the kiosk web app import the
 * static types. camelCase throughout.
 */

/** `POST /api/session`: a badge scan, or student number + PIN. */
export const SignInRequest = Credential;
export type SignInRequest = Static<typeof SignInRequest>;

/** `POST /api/actions`. */
export const ActionRequest = KioskAction;
export type ActionRequest = Static<typeof ActionRequest>;

const Person = Type.Object({ id: Type.String(), givenName: Type.String(), role: Type.String() });
const OpenLoan = Type.Object({ id: Type.String(), assetTag: Type.String(), dueAt: Type.Integer(), overdue: Type.Boolean() });

/** The district's own loaner agreement text, paragraphs per language. */
export const LoanerAgreement = Type.Object({ en: Type.Array(Type.String()), es: Type.Array(Type.String()) });
export type LoanerAgreement = Static<typeof LoanerAgreement>;

/** A station that has a lendable loaner (sent with `no_loaner_available`, and on the menu). */
export const NearbyStation = Type.Object({
  stationId: Type.Optional(Type.String()),
  stationName: Type.String(),
  available: Type.Integer({ minimum: 0 }),
  /** Set only when the station is at another campus than this one. */
  campusName: Type.Optional(Type.String()),
});
export type NearbyStation = Static<typeof NearbyStation>;

/**
 * Whether an act would start here now, decided at sign-in by the same core
 * rules the act applies (the loan limit, the charge floor), so the menu can
 * say why before the student picks anything.
 */
export const KioskChoice = Type.Object({
  allowed: Type.Boolean(),
  /** Why not: the code the act would refuse with (`loan_limit_reached`, `no_loaner_available`, …). */
  refusedFor: Type.Optional(Type.String({ maxLength: 64 })),
  /** Stations with a lendable loaner, same campus first, when this one has none. */
  nearby: Type.Optional(Type.Array(NearbyStation, { maxItems: 3 })),
});
export type KioskChoice = Static<typeof KioskChoice>;

/** What the person may do here that can be refused before a door opens. */
export const KioskChoices = Type.Object({ borrow: KioskChoice, swap: KioskChoice, dropOff: KioskChoice });
export type KioskChoices = Static<typeof KioskChoices>;

/**
 * Technician mode: what the technician menu counts at this station. Sent only
 * to staff, technicians and admins of the station's campus (or district-wide).
 */
export const TechnicianMenu = Type.Object({
  /** Devices behind this station's doors waiting for a technician (their sensor reads something inside). */
  awaitingCollection: Type.Integer({ minimum: 0 }),
  /** Doors free for a restocked loaner or a repaired device. */
  emptyCompartments: Type.Integer({ minimum: 0 }),
  /** Available loaners behind this station's doors. */
  loanersHere: Type.Integer({ minimum: 0 }),
  /** Repaired devices of this campus waiting to be placed for pickup. */
  readyToPlace: Type.Integer({ minimum: 0 }),
  /** Single-use pick-up tasks of this station waiting for their device to be loaded (scan it under "Place for pickup"). */
  tasksToLoad: Type.Optional(Type.Integer({ minimum: 0 })),
  /**
   * The bank check: every door whose sensor disagrees with the records — a
   * device recorded inside (its asset tag) that the sensor reads empty, or a
   * door recorded empty whose sensor reads something inside.
   */
  differences: Type.Array(
    Type.Object({
      compartment: Type.Integer({ minimum: 1 }),
      recordedAssetTag: Type.Union([Type.String(), Type.Null()]),
      sensed: Type.Boolean(),
    }),
  ),
  /** Doors out of service now (the door-service screen offers to put them back). */
  outOfServiceDoors: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }))),
  /** Doors a visit holds now: not the technician's to open or change until they shut. */
  busyDoors: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }))),
});
export type TechnicianMenu = Static<typeof TechnicianMenu>;

/** A single-use task as the kiosk shows it ("IT has a device for you — door 7"). */
export const KioskTask = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('pick_up'), Type.Literal('drop_off')]),
  /** The pick-up's door; null for a drop-off (a door is chosen when it opens). */
  compartment: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()]),
  assetTag: Type.Union([Type.String(), Type.Null()]),
});
export type KioskTask = Static<typeof KioskTask>;

/** What the kiosk offers a person who just signed in. */
const Offer = {
  person: Person,
  /** Loans the person may return here. */
  loans: Type.Array(OpenLoan),
  charging: Type.Union([Type.Object({ compartment: Type.Integer(), collectable: Type.Boolean() }), Type.Null()]),
  pickup: Type.Union([Type.Object({ compartment: Type.Integer() }), Type.Null()]),
  /**
   * A single-use task of this person's, ready at this station (shown first):
   * a pick-up behind its door, or a drop-off whose empty door opens on the tap.
   */
  task: Type.Optional(KioskTask),
  agreementRequired: Type.Boolean(),
  choices: KioskChoices,
  /** Sent only when the agreement must be accepted and the district set one. */
  agreement: Type.Optional(LoanerAgreement),
  /** Technician mode's menu, for a technician of this campus. */
  technician: Type.Optional(TechnicianMenu),
  /** A technician (or staff) of another campus: why there is no technician menu here (`not_technician_here`). */
  technicianRefused: Type.Optional(Type.Literal('not_technician_here')),
};

/** The server's answer to `auth` on the station link; the agent keeps the session token. */
export const SignedIn = Type.Object({ session: Type.String(), expiresAt: Type.Integer(), ...Offer });
export type SignedIn = Static<typeof SignedIn>;

/** `POST /api/session` answer: the server's `SignedIn` without the token, or the station's own while offline. */
export const KioskSignIn = Type.Object({
  signedIn: Type.Literal(true),
  /** Absent offline: the station's session lasts until the kiosk signs out. */
  expiresAt: Type.Optional(Type.Integer()),
  /** Signed in by the station alone during an outage: only borrow and return are possible. */
  offline: Type.Optional(Type.Literal(true)),
  ...Offer,
});
export type KioskSignIn = Static<typeof KioskSignIn>;

/** A transaction as the kiosk follows it (the `transaction` of a link update). */
export const TransactionView = TransactionUpdate.properties.transaction;
export type TransactionView = Static<typeof TransactionView>;

/** `GET /api/transactions/:id`. */
export const TransactionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
export type TransactionParams = Static<typeof TransactionParams>;

/** `POST /api/actions` answer: the transaction started, or `accepted` for the agreement. */
export const ActionResult = Type.Object({
  transaction: Type.Optional(TransactionView),
  accepted: Type.Optional(Type.Boolean()),
  /** Decided by the station alone during an outage. */
  offline: Type.Optional(Type.Literal(true)),
});
export type ActionResult = Static<typeof ActionResult>;

const CampusTimeZone = Type.String({ minLength: 1, maxLength: 64 });

/** How this station's kiosk screen behaves (the station's configuration). */
export const KioskSettings = Type.Object({
  /** The screen's language when nobody has switched it: `en` or `es`. Default `en`. */
  language: Type.Optional(Type.String({ maxLength: 8 })),
  /** Sign a student out after this long without a touch. Default 20 s (the kiosk's own). */
  idleSignOutSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** How long the "done" screen stays before signing out. Default 6 s (the kiosk's own). */
  doneSignOutSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
});
export type KioskSettings = Static<typeof KioskSettings>;

/** The station as the agent sees it now; the first server-sent event of every stream. */
export const StationStatus = Type.Object({
  stationId: Type.Union([Type.String(), Type.Null()]),
  stationName: Type.Union([Type.String(), Type.Null()]),
  /** The campus's IANA time zone, once the server has said it: every time on the kiosk is shown in it. */
  timeZone: Type.Optional(CampusTimeZone),
  online: Type.Boolean(),
  /** Offline: whether the station holds a policy snapshot to serve badge sign-ins from. */
  offlineReady: Type.Boolean(),
  signedIn: Type.Boolean(),
  compartments: Type.Array(CompartmentReading),
});
export type StationStatus = Static<typeof StationStatus>;

/** `GET /api/station`. */
export const StationInfo = Type.Object({ ...StationStatus.properties, kiosk: KioskSettings });
export type StationInfo = Static<typeof StationInfo>;

const DoorState = Type.Union([Type.Literal('open'), Type.Literal('closed')]);

/** `GET /api/events`: each update is one server-sent event named by its `type`, with an id to resume from. */
export const KioskUpdate = Type.Union([
  Type.Object({ type: Type.Literal('transaction'), transaction: TransactionView }),
  Type.Object({
    type: Type.Literal('link'),
    online: Type.Boolean(),
    stationId: Type.Union([Type.String(), Type.Null()]),
    stationName: Type.Union([Type.String(), Type.Null()]),
    timeZone: Type.Optional(CampusTimeZone),
  }),
  Type.Object({ type: Type.Literal('session'), signedIn: Type.Boolean() }),
  Type.Object({ type: Type.Literal('door'), compartment: Type.Integer(), door: DoorState }),
]);
export type KioskUpdate = Static<typeof KioskUpdate>;

/**
 * What a refused PIN sign-in adds, so the student is not surprised by the lockout. Counted per
 * student number typed, whether a student has it or not, so it tells nothing about who exists.
 */
export const SignInRefusal = Type.Object({
  /** With `wrong_pin`: wrong PINs this student number may still have before PIN sign-in with it is locked. */
  triesLeft: Type.Optional(Type.Integer({ minimum: 0 })),
  /** With `locked_out`, and a `wrong_pin` that used the last try: seconds until PIN sign-in with the number works again. */
  retryAfter: Type.Optional(Type.Integer({ minimum: 1 })),
});
export type SignInRefusal = Static<typeof SignInRefusal>;

/**
 * RFC 9457 problem JSON as the kiosk API answers it, with the extension
 * members the server added (`nearby`, a sign-in's `triesLeft` and `retryAfter`).
 * The standard members always win.
 */
export const KioskProblem = Type.Composite(
  [Problem, Type.Object({ nearby: Type.Optional(Type.Array(NearbyStation)), ...SignInRefusal.properties })],
  { additionalProperties: true },
);
export type KioskProblem = Static<typeof KioskProblem>;
