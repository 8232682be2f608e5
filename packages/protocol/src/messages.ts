import {
  canonicalJson,
  doorOpenReasons,
  doorServiceReasons,
  repairSymptoms,
  type DoorOpenReason,
  type DoorServiceReason,
  type RepairSymptom,
} from '@cubby/core';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Problem } from './api/problem.js';

/**
 * Station ⇄ server messages, JSON over one WebSocket per station.
 * Every message carries the protocol version `v` and a unique `id`; requests
 * are answered by a `result` whose `re` is the request's id. A station that
 * resends a request after a reconnect reuses its id, so the server can refuse
 * a replay instead of acting twice.
 */
export const protocolVersion = 1;

const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const CompartmentNumber = Type.Integer({ minimum: 1, maximum: 999 });
const Envelope = { v: Type.Literal(protocolVersion), id: Id };

const ChargeState = Type.Union([Type.Literal('charging'), Type.Literal('charged')]);

export const CompartmentReading = Type.Object({
  number: CompartmentNumber,
  door: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  presence: Type.Boolean(),
  charging: Type.Boolean(),
  /** Measured charge of the device inside, when the board (or telemetry) knows it. */
  battery: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  /** A current-sensing board's word on the port: current flowing, or dropped below its threshold. */
  chargeState: Type.Optional(ChargeState),
});
export type CompartmentReading = Static<typeof CompartmentReading>;

export const Credential = Type.Union([
  Type.Object({ badge: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
  Type.Object(
    { studentNumber: Type.String({ minLength: 1, maxLength: 32 }), pin: Type.String({ minLength: 1, maxLength: 16 }) },
    { additionalProperties: false },
  ),
]);
/** The same shape as core's `Credential` (a test holds them equal): core validates it, this checks the wire. */
export type Credential = Static<typeof Credential>;

const Reason = Type.Union([
  Type.Literal('broken'),
  Type.Literal('forgotten'),
  Type.Literal('dead_battery'),
  Type.Literal('other'),
]);
const Symptom = Type.Unsafe<RepairSymptom>(Type.Union(repairSymptoms.map((s) => Type.Literal(s))));

const AssetTag = Type.String({ minLength: 1, maxLength: 64 });
const DoorOpenReasonSchema = Type.Unsafe<DoorOpenReason>(Type.Union(doorOpenReasons.map((r) => Type.Literal(r))));
const DoorServiceReasonSchema = Type.Unsafe<DoorServiceReason>(Type.Union(doorServiceReasons.map((r) => Type.Literal(r))));

/** What a signed-in student asks the station to do. */
export const KioskAction = Type.Union([
  Type.Object({ kind: Type.Literal('borrow'), reason: Reason }),
  Type.Object({ kind: Type.Literal('return'), assetTag: Type.Optional(Type.String({ maxLength: 64 })) }),
  Type.Object({ kind: Type.Literal('swap'), symptom: Symptom, notes: Type.Optional(Type.String({ maxLength: 500 })) }),
  /** A broken device left for repair with no loaner taken (none here, or the student is at the loan limit). */
  Type.Object({ kind: Type.Literal('drop_off'), symptom: Symptom, notes: Type.Optional(Type.String({ maxLength: 500 })) }),
  Type.Object({ kind: Type.Literal('charge') }),
  Type.Object({ kind: Type.Literal('collect') }),
  Type.Object({ kind: Type.Literal('pickup') }),
  Type.Object({ kind: Type.Literal('accept_agreement') }),
  /** Technician mode: open each door holding a device awaiting collection, one after the other. */
  Type.Object({ kind: Type.Literal('technician_collect') }),
  /** Technician mode: an empty door opens for the loaner with this asset tag (scanned or typed first). */
  Type.Object({ kind: Type.Literal('restock_loaners'), assetTag: AssetTag }),
  /** Technician mode: open up to `count` doors holding available loaners, to take them away. */
  Type.Object({ kind: Type.Literal('take_loaners_out'), count: Type.Integer({ minimum: 1, maximum: 99 }) }),
  /** Technician mode: an empty door is reserved for the owner of this repaired device, which goes in. */
  Type.Object({ kind: Type.Literal('place_for_pickup'), assetTag: AssetTag }),
  /** Technician mode: open one door, for one of core's reasons; its shut reports what is inside. */
  Type.Object(
    { kind: Type.Literal('technician_open_door'), compartment: CompartmentNumber, reason: DoorOpenReasonSchema },
    { additionalProperties: false },
  ),
  /** Technician mode: take one door out of service (`outOfService: true`) or put it back, for one of core's reasons. */
  Type.Object(
    {
      kind: Type.Literal('technician_door_service'),
      compartment: CompartmentNumber,
      outOfService: Type.Boolean(),
      reason: DoorServiceReasonSchema,
    },
    { additionalProperties: false },
  ),
  /** Technician mode: the bank check opening each door in turn, so the technician can look inside. */
  Type.Object({ kind: Type.Literal('bank_check_doors') }, { additionalProperties: false }),
  /** A single-use task of the signed-in person's at this station (the sign-in's `task`): its one door opens. */
  Type.Object({ kind: Type.Literal('task'), taskId: Type.String({ minLength: 1, maxLength: 64 }) }),
]);
export type KioskAction = Static<typeof KioskAction>;

// ---- station → server ----

export const Hello = Type.Object({
  ...Envelope,
  type: Type.Literal('hello'),
  /** Optional: the token identifies the station; a mismatching id is refused. */
  stationId: Type.Optional(Type.String({ maxLength: 64 })),
  agentVersion: Type.String({ maxLength: 32 }),
  compartments: Type.Array(CompartmentReading, { maxItems: 999 }),
  /** Highest journal sequence the station holds (offline mode). */
  journalSeq: Type.Optional(Type.Integer({ minimum: 0 })),
});

export const Auth = Type.Object({ ...Envelope, type: Type.Literal('auth'), credential: Credential });

export const Request = Type.Object({
  ...Envelope,
  type: Type.Literal('request'),
  /** Kiosk session token from the `auth` result. */
  session: Type.String({ maxLength: 512 }),
  action: KioskAction,
});

export const StationEvent = Type.Object({
  ...Envelope,
  type: Type.Literal('event'),
  event: Type.Union([
    Type.Object({ kind: Type.Literal('door_opened'), compartment: CompartmentNumber, commandId: Type.Optional(Id) }),
    Type.Object({ kind: Type.Literal('door_closed'), compartment: CompartmentNumber, presence: Type.Boolean() }),
    Type.Object({ kind: Type.Literal('presence_changed'), compartment: CompartmentNumber, presence: Type.Boolean() }),
    Type.Object({
      kind: Type.Literal('lock_fault'),
      compartment: CompartmentNumber,
      commandId: Id,
      detail: Type.String({ maxLength: 200 }),
    }),
    Type.Object({
      kind: Type.Literal('door_left_open'),
      compartment: CompartmentNumber,
      openForMs: Type.Integer({ minimum: 0 }),
    }),
    Type.Object({
      kind: Type.Literal('battery'),
      compartment: CompartmentNumber,
      battery: Type.Integer({ minimum: 0, maximum: 100 }),
    }),
    Type.Object({
      kind: Type.Literal('charge_state'),
      compartment: CompartmentNumber,
      state: ChargeState,
    }),
  ]),
  /** When the station saw it (epoch ms, station clock). */
  at: Type.Integer({ minimum: 0 }),
});
export type StationEventBody = Static<typeof StationEvent>['event'];

/** A transaction the station completed on its own while the link was down. */
export const JournalEntry = Type.Object({
  /** Idempotency key: the server applies each entry exactly once. */
  key: Id,
  seq: Type.Integer({ minimum: 1 }),
  at: Type.Integer({ minimum: 0 }),
  credentialHash: Type.String({ maxLength: 128 }),
  action: KioskAction,
  compartment: CompartmentNumber,
  outcome: Type.Union([Type.Literal('completed'), Type.Literal('failed')]),
  presenceAfter: Type.Boolean(),
  /** Who the signed policy snapshot said the credential belongs to (the server re-checks it). */
  personId: Type.Optional(Id),
  /** The loaner the snapshot placed behind the door of an offline borrow. */
  deviceId: Type.Optional(Id),
  /**
   * The snapshot the station decided with (its `snapshotId`): the server checks
   * the entry against what it sent, and refuses one that names no snapshot.
   */
  snapshotId: Type.Optional(Id),
});
export type JournalEntry = Static<typeof JournalEntry>;
export const Journal = Type.Object({
  ...Envelope,
  type: Type.Literal('journal'),
  entries: Type.Array(JournalEntry, { maxItems: 500 }),
});

export const Ping = Type.Object({ ...Envelope, type: Type.Literal('ping') });

/** The kiosk signed out: the server ends that session now rather than when its token expires. */
export const SignOut = Type.Object({ ...Envelope, type: Type.Literal('sign_out'), session: Type.String({ maxLength: 512 }) });

export const StationMessage = Type.Union([Hello, Auth, Request, StationEvent, Journal, Ping, SignOut]);
export type StationMessage = Static<typeof StationMessage>;

// ---- server → station ----

/** A refusal over the link: the HTTP problem's (api/problem.ts) code, title and detail, with the error's data. */
export const ProblemBody = Type.Object({
  code: Problem.properties.code,
  title: Problem.properties.title,
  detail: Problem.properties.detail,
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type ProblemBody = Static<typeof ProblemBody>;

export const Welcome = Type.Object({
  ...Envelope,
  type: Type.Literal('welcome'),
  stationId: Type.String(),
  stationName: Type.String(),
  serverTime: Type.Integer(),
  /** The campus's IANA time zone: the kiosk shows every time in it, whatever the kiosk PC's clock is set to. */
  timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  /**
   * Keys for offline mode, sent only over the authenticated link: `snapshotKey`
   * verifies this station's policy snapshots and keys its credential hashes;
   * `badgeKey` turns a scanned badge into the hash those are made from.
   */
  offline: Type.Optional(Type.Object({ snapshotKey: Type.String(), badgeKey: Type.String() })),
});

export const Unlock = Type.Object({
  ...Envelope,
  type: Type.Literal('unlock'),
  /** Idempotent: a station opens a door at most once per command id. */
  commandId: Id,
  compartment: CompartmentNumber,
  pulseMs: Type.Integer({ minimum: 50, maximum: 2000 }),
  transactionId: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.Union([Type.String(), Type.Null()]),
});

export const Result = Type.Object({
  ...Envelope,
  type: Type.Literal('result'),
  re: Type.String(),
  ok: Type.Boolean(),
  data: Type.Optional(Type.Unknown()),
  error: Type.Optional(ProblemBody),
});

/** Progress of a kiosk transaction, pushed as doors open and close. */
export const TransactionUpdate = Type.Object({
  ...Envelope,
  type: Type.Literal('transaction'),
  transaction: Type.Object({
    id: Type.String(),
    kind: Type.String(),
    status: Type.Union([Type.Literal('in_progress'), Type.Literal('completed'), Type.Literal('failed')]),
    /** The door the person should be at now. */
    compartment: Type.Union([Type.Integer(), Type.Null()]),
    purpose: Type.Union([Type.String(), Type.Null()]),
    /** Every door open at once for this step (a collection all at once), lowest first; `compartment` is the first. */
    openDoors: Type.Optional(Type.Array(CompartmentNumber, { maxItems: 999 })),
    dueAt: Type.Optional(Type.Integer()),
    /** The loaner a borrow or swap hands out, once its door has closed: the kiosk names it. */
    assetTag: Type.Optional(Type.String({ maxLength: 64 })),
    error: Type.Optional(ProblemBody),
    /** A technician's collection or take-out, once it ended: what came out, and which doors did not. */
    summary: Type.Optional(
      Type.Object({
        collected: Type.Integer({ minimum: 0 }),
        emptyDoors: Type.Array(CompartmentNumber),
        leftInside: Type.Array(CompartmentNumber),
        jammedDoors: Type.Array(CompartmentNumber),
        /** A door opening or a bank check: each door whose contents disagreed with the records once it shut. */
        differences: Type.Optional(
          Type.Array(
            Type.Object({
              compartment: CompartmentNumber,
              recordedAssetTag: Type.Union([Type.String({ maxLength: 64 }), Type.Null()]),
              sensed: Type.Boolean(),
            }),
            { maxItems: 999 },
          ),
        ),
      }),
    ),
  }),
});

export const SetCharging = Type.Object({
  ...Envelope,
  type: Type.Literal('set_charging'),
  compartment: CompartmentNumber,
  on: Type.Boolean(),
});

/**
 * A loaner behind one of the station's doors, with what core's `rankLoaners`
 * weighs: charge, and how worn the unit is. `loanCount` and `lastLoanedAt` are
 * left out for a loaner never lent.
 */
const Percent = Type.Number({ minimum: 0, maximum: 100 });
const At = Type.Integer({ minimum: 0 });
/** Core's `ChargeFacts`: what the station needs to estimate a loaner's charge itself while offline. */
export const SnapshotChargeFacts = Type.Object({
  model: Type.Optional(Type.String({ maxLength: 200 })),
  reported: Type.Optional(Type.Object({ percent: Percent, at: At })),
  poweredSince: Type.Optional(At),
  sensed: Type.Optional(Type.Object({ state: Type.Union([Type.Literal('charging'), Type.Literal('charged')]), at: At })),
});
export type SnapshotChargeFacts = Static<typeof SnapshotChargeFacts>;

const Curve = Type.Object({
  fastUntilPercent: Percent,
  fastMinutes: Type.Number({ exclusiveMinimum: 0 }),
  slowMinutes: Type.Number({ exclusiveMinimum: 0 }),
});
/** Core's `ChargeSettings`, as the district configured them. */
export const SnapshotChargeSettings = Type.Object({
  defaultPercent: Percent,
  reportedStaleMinutes: Type.Number({ exclusiveMinimum: 0 }),
  curves: Type.Record(Type.String(), Curve),
  defaultCurve: Curve,
});

const SnapshotLoaner = Type.Object({
  compartment: CompartmentNumber,
  deviceId: Type.String(),
  /** The best reading when the snapshot was made (the station estimates again from `charge`). */
  battery: Type.Integer({ minimum: 0, maximum: 100 }),
  charge: Type.Optional(SnapshotChargeFacts),
  loanCount: Type.Optional(Type.Integer({ minimum: 0 })),
  lastLoanedAt: Type.Optional(Type.Integer({ minimum: 0 })),
});
export type SnapshotLoaner = Static<typeof SnapshotLoaner>;

/**
 * How the snapshot's credential hashes are made: scrypt (RFC 7914) of the
 * badge's offline hash with this random salt, fresh per snapshot record. The
 * cost is deliberately high (docs/security.md): a copy of the kiosk's disk has
 * to pay it for every badge number it tries.
 */
const CredentialHashing = Type.Object({
  salt: Type.String({ minLength: 16, maxLength: 64 }),
  /** scrypt's N (a power of two), r and p; the station refuses a cost beyond what a kiosk can pay. */
  n: Type.Integer({ minimum: 2, maximum: 1 << 16 }),
  r: Type.Integer({ minimum: 1, maximum: 8 }),
  p: Type.Integer({ minimum: 1, maximum: 2 }),
});
export type CredentialHashing = Static<typeof CredentialHashing>;

export const PolicySnapshot = Type.Object({
  ...Envelope,
  type: Type.Literal('policy_snapshot'),
  /** The server's record of what it sent; the station names it in its journal entries. */
  snapshotId: Id,
  issuedAt: Type.Integer(),
  /** HMAC over the canonical snapshot, so a station can trust it offline. */
  signature: Type.String(),
  maxActiveLoans: Type.Integer(),
  /** The district's charge floor: the station ranks loaners with it as the server does. */
  minChargePercent: Type.Integer({ minimum: 0, maximum: 100 }),
  offlineBorrowLimit: Type.Integer(),
  hashing: CredentialHashing,
  credentials: Type.Array(Type.Object({ hash: Type.String(), personId: Type.String(), openLoans: Type.Integer() })),
  loaners: Type.Array(SnapshotLoaner),
  /** How to estimate a loaner's charge offline (core's defaults when left out). */
  chargeEstimate: Type.Optional(SnapshotChargeSettings),
});
export type PolicySnapshotMessage = Static<typeof PolicySnapshot>;

/**
 * The exact text a policy snapshot's signature covers: the station id and
 * every field in a fixed order, so both sides sign the same bytes whatever
 * order JSON keys arrive in. A left-out wear field signs as its default, so
 * leaving it out changes nothing the station decides.
 */
export function policySnapshotSigningInput(
  stationId: string,
  s: Omit<PolicySnapshotMessage, 'v' | 'id' | 'type' | 'signature'>,
): string {
  return JSON.stringify([
    'cubby-policy-snapshot-4',
    stationId,
    s.snapshotId,
    s.issuedAt,
    s.maxActiveLoans,
    s.minChargePercent,
    s.offlineBorrowLimit,
    [s.hashing.salt, s.hashing.n, s.hashing.r, s.hashing.p],
    s.credentials.map((c) => [c.hash, c.personId, c.openLoans]),
    s.loaners.map((l) => [
      l.compartment,
      l.deviceId,
      l.battery,
      l.loanCount ?? 0,
      l.lastLoanedAt ?? null,
      chargeFactsInput(l.charge),
    ]),
    s.chargeEstimate ? canonicalJson(s.chargeEstimate) : null,
  ]);
}

function chargeFactsInput(c: SnapshotChargeFacts | undefined) {
  if (!c) return null;
  return [
    c.model ?? null,
    c.reported?.percent ?? null,
    c.reported?.at ?? null,
    c.poweredSince ?? null,
    c.sensed?.state ?? null,
    c.sensed?.at ?? null,
  ];
}

export const ServerNotice = Type.Object({
  ...Envelope,
  type: Type.Literal('message'),
  level: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('error')]),
  text: Type.String(),
  error: Type.Optional(ProblemBody),
  /** Which station message this refers to, when it refers to one. */
  re: Type.Optional(Type.String()),
});

export const Pong = Type.Object({ ...Envelope, type: Type.Literal('pong'), re: Type.String() });

export const ServerMessage = Type.Union([
  Welcome,
  Unlock,
  Result,
  TransactionUpdate,
  SetCharging,
  PolicySnapshot,
  ServerNotice,
  Pong,
]);
export type ServerMessage = Static<typeof ServerMessage>;

export type MessageOf<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;

export type { Static, TSchema };
