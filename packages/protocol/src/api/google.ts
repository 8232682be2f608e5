import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Time } from './common.js';

/**
 * Google Admin (docs/google.md): the district's connection, as the dashboard
 * reads it (never the service account key), and its sync runs.
 */
const Url = Type.String({ minLength: 8, maxLength: 300 });

export const GoogleSyncCounts = Type.Object({
  seen: Type.Integer({ description: 'Chrome OS devices Google listed' }),
  matched: Type.Integer({ description: 'of them, devices Cubby knows (by serial, else asset tag)' }),
  updated: Type.Integer({ description: 'matched devices whose Google fields changed' }),
  onlyInGoogle: Type.Integer(),
  onlyInCubby: Type.Integer(),
  duplicates: Type.Integer({ description: 'Google entries naming a device another entry already matched' }),
  telemetrySeen: Type.Integer({ description: 'devices telemetry reported on (0 with telemetry off)' }),
  batteryReadings: Type.Integer({ description: 'charge readings newer than what Cubby knew, written' }),
  batteryWorn: Type.Integer({ description: 'devices whose battery no longer lasts a school day' }),
});
export type GoogleSyncCounts = Static<typeof GoogleSyncCounts>;

const Unmatched = Type.Object({
  serial: Nullable(Type.String()),
  assetTag: Nullable(Type.String()),
  model: Nullable(Type.String()),
});

export const GoogleSyncRun = Type.Object({
  id: Type.String(),
  trigger: Type.Union([Type.Literal('dashboard'), Type.Literal('schedule'), Type.Literal('cli')]),
  startedAt: Time,
  finishedAt: Time,
  outcome: Type.Union([Type.Literal('succeeded'), Type.Literal('failed')]),
  counts: GoogleSyncCounts,
  error: Nullable(Type.String({ description: 'why a failed run stopped (nothing was written)' })),
  unmatched: Type.Object({
    onlyInGoogle: Type.Array(Unmatched, { description: 'first 200: in Google, not in Cubby (not created)' }),
    onlyInCubby: Type.Array(Unmatched, { description: 'first 200: in Cubby, not in Google' }),
  }),
});
export type GoogleSyncRun = Static<typeof GoogleSyncRun>;

export const GoogleConnection = Type.Object({
  connected: Type.Boolean(),
  clientEmail: Nullable(Type.String({ description: "the service account's address (the key itself is never answered)" })),
  customerId: Type.String(),
  adminEmail: Nullable(Type.String()),
  directoryUrl: Type.String(),
  telemetryUrl: Type.String(),
  telemetry: Type.Boolean({ description: 'also read battery telemetry (Chrome Management Telemetry API)' }),
  syncIntervalMinutes: Type.Integer({ description: '0: on demand only' }),
  recentSyncs: Type.Array(GoogleSyncRun),
});
export type GoogleConnection = Static<typeof GoogleConnection>;

export const GoogleConnectionChange = Type.Object(
  {
    serviceAccountKey: Type.Optional(
      Type.String({ minLength: 2, maxLength: 20_000, description: 'the key file (JSON); leave out to keep the stored one' }),
    ),
    customerId: Type.String({ minLength: 1, maxLength: 64, default: 'my_customer' }),
    adminEmail: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s]+@[^@\\s]+$' }),
    directoryUrl: Type.Optional(Url),
    telemetryUrl: Type.Optional(Url),
    telemetry: Type.Boolean({ default: true }),
    syncIntervalMinutes: Type.Integer({ minimum: 0, maximum: 7 * 24 * 60, default: 360 }),
  },
  { additionalProperties: false },
);
export type GoogleConnectionChange = Static<typeof GoogleConnectionChange>;

export const GoogleConnectionTest = Type.Object({
  ok: Type.Boolean(),
  detail: Type.String({ description: 'what Google answered' }),
});
export type GoogleConnectionTest = Static<typeof GoogleConnectionTest>;
