import { Type, type Static } from '@sinclair/typebox';
import { taskFilters, taskKinds, taskStates } from '@cubby/core';
import { ItemsOf, Nullable, OneOf, TextInteger, Time } from './common.js';

/**
 * Single-use tasks on the dashboard (issue 14, docs/tasks.md): a pick-up or
 * drop-off for one named person at one station. Every time is epoch
 * milliseconds (UTC).
 */

const Id = Type.String({ minLength: 1, maxLength: 64 });

export const TaskCreate = Type.Object(
  {
    kind: OneOf(taskKinds),
    personId: Id,
    stationId: Id,
    /** Required for a pick-up; for a drop-off, defaults to the person's own 1:1 device. */
    assetTag: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TaskCreate = Static<typeof TaskCreate>;

export const TaskListQuery = Type.Object(
  {
    state: Type.Optional(OneOf(taskFilters, { description: 'open: awaiting load or ready' })),
    stationId: Type.Optional(Id),
    siteId: Type.Optional(Id),
    personId: Type.Optional(Id),
    limit: Type.Optional(TextInteger({ minimum: 1, maximum: 500, default: 200 })),
  },
  { additionalProperties: false },
);
export type TaskListQuery = Static<typeof TaskListQuery>;

export const Task = Type.Object({
  id: Type.String(),
  kind: OneOf(taskKinds),
  state: OneOf(taskStates),
  note: Type.String(),
  personId: Type.String(),
  /** Names only with people:read. */
  personName: Nullable(Type.String()),
  stationId: Type.String(),
  stationName: Type.String(),
  siteId: Type.String(),
  siteName: Type.String(),
  deviceId: Nullable(Type.String()),
  assetTag: Nullable(Type.String()),
  /** The door: a loaded pick-up's, a done drop-off's; null before. */
  compartment: Nullable(Type.Integer()),
  createdBy: Nullable(Type.String({ description: 'the dashboard user who created it' })),
  createdAt: Time,
  readyAt: Nullable(Time),
  doneAt: Nullable(Time),
  cancelledAt: Nullable(Time),
});
export type Task = Static<typeof Task>;

export const TaskList = ItemsOf(Task);
export type TaskList = Static<typeof TaskList>;
