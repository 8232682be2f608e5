import { Type, type TSchema } from '@sinclair/typebox';
import { problemSchema } from '../problems.js';

/** Shapes of the read API, declared once: they validate and document. */
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Time = Type.Integer({ description: 'epoch milliseconds (UTC)' });

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  cursor: Type.Optional(Type.String({ maxLength: 64 })),
};

export const pageOf = (item: TSchema) =>
  Type.Object({ items: Type.Array(item), nextCursor: Nullable(Type.String()) });

export const Site = Type.Object({
  id: Type.String(), district_id: Type.String(), name: Type.String(), time_zone: Type.String(),
  school_day_end: Type.String(), created_at: Time,
});

export const Station = Type.Object({
  id: Type.String(), site_id: Type.String(), name: Type.String(), connected: Type.Boolean(),
  last_seen_at: Nullable(Time), created_at: Time,
});

export const Compartment = Type.Object({
  id: Type.String(), station_id: Type.String(), number: Type.Integer(), has_charger: Type.Boolean(),
  status: Type.String(), door: Type.String(), presence: Type.Boolean(), charging: Type.Boolean(),
  device_id: Nullable(Type.String()), asset_tag: Nullable(Type.String()), battery_percent: Nullable(Type.Integer()),
  transaction_id: Nullable(Type.String()), updated_at: Time,
});

export const Device = Type.Object({
  id: Type.String(), asset_tag: Type.String(), serial: Nullable(Type.String()), model: Type.String(),
  pool: Type.String(), owner_id: Nullable(Type.String()), status: Type.String(), condition: Type.String(),
  battery_percent: Type.Integer(), loan_count: Type.Integer(), last_loaned_at: Nullable(Time),
  site_id: Nullable(Type.String()), warranty_end: Nullable(Time), updated_at: Time,
});

export const Person = Type.Object({
  id: Type.String(), site_id: Nullable(Type.String()), role: Type.String(), external_id: Nullable(Type.String()),
  student_number: Nullable(Type.String()), given_name: Type.String(), family_name: Type.String(),
  grade: Nullable(Type.String()), agreement_accepted_at: Nullable(Time), active: Type.Boolean(),
});

export const Loan = Type.Object({
  id: Type.String(), device_id: Type.String(), person_id: Type.String(), station_id: Type.String(),
  compartment_id: Type.String(), transaction_id: Type.String(), reason: Type.String(), status: Type.String(),
  created_at: Time, started_at: Nullable(Time), due_at: Time, ended_at: Nullable(Time),
  return_station_id: Nullable(Type.String()),
});

export const AuditEvent = Type.Object({
  seq: Type.Integer(), id: Type.String(), at: Time, actor_type: Type.String(), actor_id: Nullable(Type.String()),
  action: Type.String(), entity_type: Type.String(), entity_id: Type.String(), station_id: Nullable(Type.String()),
  transaction_id: Nullable(Type.String()), data: Type.Record(Type.String(), Type.Unknown()),
  prev_hash: Type.String(), hash: Type.String(),
});

export const errorResponses = {
  400: problemSchema,
  401: problemSchema,
  403: problemSchema,
  404: problemSchema,
};
