import { Type, type Static } from '@sinclair/typebox';
import { chargeSources, compartmentContents, compartmentStatuses, devicePools, deviceStatuses } from '@cubby/core';
import { Nullable, OneOf, TextInteger, Time } from './common.js';

/** The dashboard's fleet views: the district overview and one station's bank as its grid. */
const Count = Type.Integer({ minimum: 0 });
export const FleetCounts = Type.Object({
  compartments: Count,
  loaded: Count,
  empty: Count,
  outOfService: Count,
  loanersAvailable: Count,
  loanersCharging: Count,
  devicesOut: Count,
  overdue: Count,
  flaggedForRepair: Count,
  openAlerts: Count,
  stationsOnline: Count,
  stationsOffline: Count,
});
export type FleetCounts = Static<typeof FleetCounts>;

const Backlog = Type.Integer({
  minimum: 0,
  description: 'offline journal entries the station reported at its last hello that the server has not applied yet',
});

const NextLendableAt = Nullable(Time, {
  description:
    'when the first loaner still charging reaches the charge floor, by its charge curve; null when none is charging toward it',
});

export const OverviewStation = Type.Object({
  id: Type.String(),
  name: Type.String(),
  connected: Type.Boolean(),
  lastSeenAt: Nullable(Time),
  backlog: Backlog,
  counts: FleetCounts,
  nextLendableAt: NextLendableAt,
});
export type OverviewStation = Static<typeof OverviewStation>;

export const OverviewCampus = Type.Object({
  id: Type.String(),
  name: Type.String(),
  timeZone: Type.String(),
  totals: FleetCounts,
  nextLendableAt: NextLendableAt,
  stations: Type.Array(OverviewStation),
});
export type OverviewCampus = Static<typeof OverviewCampus>;

export const Overview = Type.Object({ generatedAt: Time, totals: FleetCounts, campuses: Type.Array(OverviewCampus) });
export type Overview = Static<typeof Overview>;

export const GridDevice = Type.Object({
  id: Type.String(),
  assetTag: Type.String(),
  model: Type.String(),
  pool: OneOf(devicePools),
  status: OneOf(deviceStatuses),
  batteryPercent: Type.Integer(),
  charge: Type.Object(
    {
      source: OneOf(chargeSources),
      ageMs: Type.Optional(Type.Integer({ minimum: 0, description: 'how old a reported reading is' })),
      lendableAt: Nullable(Time, { description: 'a loaner below the floor: when its curve crosses it (null: not charging)' }),
    },
    { description: "where batteryPercent comes from: a board or telemetry ('reported') or core's estimate" },
  ),
});
export type GridDevice = Static<typeof GridDevice>;

export const GridHolder = Type.Object(
  { personId: Type.String(), name: Type.String(), since: Nullable(Time), dueAt: Nullable(Time) },
  {
    description:
      'who has what is behind the door: a kiosk visit using it, a device charging in it, a repaired device waiting for its owner, or a loaner taken from it; null without people:read',
  },
);
export type GridHolder = Static<typeof GridHolder>;

export const GridCompartment = Type.Object({
  id: Type.String(),
  number: Type.Integer(),
  row: Type.Integer({ minimum: 1 }),
  column: Type.Integer({ minimum: 1 }),
  status: OneOf(compartmentStatuses),
  content: OneOf(compartmentContents, {
    description:
      "what the door holds: a loaner ready to lend or charging (below the lending floor), a student's broken device awaiting collection, a repaired device waiting for its owner, a student's own device charging, empty, or out of service",
  }),
  door: Type.String(),
  presence: Type.Boolean(),
  charging: Type.Boolean(),
  hasCharger: Type.Boolean(),
  device: Nullable(GridDevice),
  holder: Nullable(GridHolder),
  alert: Nullable(Type.String({ description: 'kind of the oldest open alert' })),
});
export type GridCompartment = Static<typeof GridCompartment>;

export const StationGrid = Type.Object({
  station: Type.Object({
    id: Type.String(),
    name: Type.String(),
    siteId: Type.String(),
    siteName: Type.String(),
    connected: Type.Boolean(),
    lastSeenAt: Nullable(Time),
    backlog: Backlog,
  }),
  columns: Type.Integer({ minimum: 1 }),
  rows: Type.Integer({ minimum: 1 }),
  compartments: Type.Array(GridCompartment),
});
export type StationGrid = Static<typeof StationGrid>;

export const CompartmentParams = Type.Object({
  id: Type.String({ maxLength: 64 }),
  number: TextInteger({ minimum: 1, maximum: 999 }),
});
const Reason = Type.String({ minLength: 3, maxLength: 200 });
export const RemoteOpen = Type.Object({ reason: Reason }, { additionalProperties: false });
export type RemoteOpen = Static<typeof RemoteOpen>;
export const RemoteOpenAccepted = Type.Object({ commandId: Type.String() });
export type RemoteOpenAccepted = Static<typeof RemoteOpenAccepted>;
export const ServiceChange = Type.Object({ outOfService: Type.Boolean(), reason: Reason }, { additionalProperties: false });
export type ServiceChange = Static<typeof ServiceChange>;
