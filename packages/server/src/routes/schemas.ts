import { Type, type TSchema } from '@sinclair/typebox';
import { problemSchema } from '../problems.js';

/** Shapes of the read API, declared once: they validate and document. */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Time = Type.Integer({ description: 'epoch milliseconds (UTC)' });

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'opaque, from nextCursor' })),
};

export const pageOf = (item: TSchema) => Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const Site = Type.Object({
  id: Type.String(),
  district_id: Type.String(),
  name: Type.String(),
  time_zone: Type.String(),
  school_day_end: Type.String(),
  created_at: Time,
});

export const Station = Type.Object({
  id: Type.String(),
  site_id: Type.String(),
  name: Type.String(),
  connected: Type.Boolean(),
  last_seen_at: Nullable(Time),
  created_at: Time,
  backlog: Type.Integer({ description: 'offline journal entries reported at the last hello and not yet applied' }),
  columns: Nullable(Type.Integer({ description: 'grid columns; null: derived from the compartment count' })),
  rows: Nullable(Type.Integer()),
});

export const Compartment = Type.Object({
  id: Type.String(),
  station_id: Type.String(),
  number: Type.Integer(),
  has_charger: Type.Boolean(),
  status: Type.String(),
  door: Type.String(),
  presence: Type.Boolean(),
  charging: Type.Boolean(),
  device_id: Nullable(Type.String()),
  asset_tag: Nullable(Type.String()),
  battery_percent: Nullable(Type.Integer()),
  transaction_id: Nullable(Type.String()),
  updated_at: Time,
});

export const Device = Type.Object({
  id: Type.String(),
  asset_tag: Type.String(),
  serial: Nullable(Type.String()),
  model: Type.String(),
  pool: Type.String(),
  owner_id: Nullable(Type.String()),
  status: Type.String(),
  condition: Type.String(),
  battery_percent: Type.Integer(),
  loan_count: Type.Integer(),
  last_loaned_at: Nullable(Time),
  site_id: Nullable(Type.String()),
  warranty_end: Nullable(Time),
  updated_at: Time,
  station_id: Nullable(Type.String({ description: 'the station whose compartment holds it now' })),
  compartment_number: Nullable(Type.Integer()),
});

export const Person = Type.Object({
  id: Type.String(),
  site_id: Nullable(Type.String()),
  role: Type.String(),
  external_id: Nullable(Type.String()),
  student_number: Nullable(Type.String()),
  given_name: Type.String(),
  family_name: Type.String(),
  grade: Nullable(Type.String()),
  agreement_accepted_at: Nullable(Time),
  active: Type.Boolean(),
});

export const Loan = Type.Object({
  id: Type.String(),
  device_id: Type.String(),
  person_id: Type.String(),
  station_id: Type.String(),
  compartment_id: Type.String(),
  transaction_id: Type.String(),
  reason: Type.String(),
  status: Type.String(),
  created_at: Time,
  started_at: Nullable(Time),
  due_at: Time,
  ended_at: Nullable(Time),
  return_station_id: Nullable(Type.String()),
  asset_tag: Type.String(),
  site_id: Type.String({ description: 'campus of the station it was borrowed at' }),
  person_name: Nullable(Type.String({ description: 'null without people:read' })),
  overdue: Type.Boolean({ description: 'out past its due time' }),
});

export const RepairTicket = Type.Object({
  id: Type.String(),
  device_id: Type.String(),
  asset_tag: Type.String(),
  model: Type.String(),
  person_id: Nullable(Type.String()),
  person_name: Nullable(Type.String({ description: 'null without people:read' })),
  loan_id: Nullable(Type.String()),
  status: Type.String(),
  symptom: Type.String(),
  notes: Type.String(),
  cost_cents: Nullable(Type.Integer()),
  warranty_claim: Type.Boolean(),
  fee_cents: Nullable(Type.Integer()),
  compartment_id: Nullable(Type.String()),
  station_id: Nullable(Type.String()),
  compartment_number: Nullable(Type.Integer()),
  reported_station_id: Nullable(Type.String()),
  reported_at: Time,
  awaiting_collection_at: Nullable(Time),
  collected_at: Nullable(Time),
  in_repair_at: Nullable(Time),
  repaired_at: Nullable(Time),
  ready_for_pickup_at: Nullable(Time),
  closed_at: Nullable(Time),
  retired_at: Nullable(Time),
});

export const AuditEvent = Type.Object({
  seq: Type.Integer(),
  id: Type.String(),
  at: Time,
  actor_type: Type.String(),
  actor_id: Nullable(Type.String()),
  action: Type.String(),
  entity_type: Type.String(),
  entity_id: Type.String(),
  station_id: Nullable(Type.String()),
  transaction_id: Nullable(Type.String()),
  data: Type.Record(Type.String(), Type.Unknown()),
  prev_hash: Type.String(),
  hash: Type.String(),
});

export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
};

export { Nullable, Time };
