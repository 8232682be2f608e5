import { Type, type Static } from '@sinclair/typebox';
import { Nullable, Time } from './common.js';

/**
 * Roster and inventory imports (docs/importing.md): an upload is read and
 * planned as a dry run (POST /api/v1/imports), then applied by its id
 * (POST /api/v1/imports/:id/apply); GET /api/v1/imports is the history.
 */
export const importKinds = ['oneroster', 'people', 'devices'] as const;
export const ImportKind = Type.Union(importKinds.map((k) => Type.Literal(k)));
export type ImportKind = Static<typeof ImportKind>;

export const ImportCount = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  deactivated: Type.Integer(),
  unchanged: Type.Integer(),
});

export const ImportProblemItem = Type.Object({
  file: Type.String(),
  line: Nullable(Type.Integer()),
  column: Nullable(Type.String()),
  message: Type.String(),
});

export const ImportRunItem = Type.Object({
  id: Type.String(),
  kind: ImportKind,
  fileName: Type.String(),
  status: Type.Union([Type.Literal('previewed'), Type.Literal('applied'), Type.Literal('refused')]),
  /** Per kind of record: campuses, people, contacts, devices. */
  counts: Type.Record(Type.String(), ImportCount),
  problems: Type.Array(ImportProblemItem),
  createdAt: Time,
  appliedAt: Nullable(Time),
});
export type ImportRunItem = Static<typeof ImportRunItem>;

export const ImportUploadQuery = Type.Object({
  kind: ImportKind,
  /** The file's own name, shown in the history. */
  fileName: Type.String({ minLength: 1, maxLength: 200 }),
});
export type ImportUploadQuery = Static<typeof ImportUploadQuery>;

export const ImportHistoryItem = Type.Composite([
  ImportRunItem,
  Type.Object({ by: Nullable(Type.String({ description: 'the user who ran it; null for the CLI or the demo seed' })) }),
]);
export type ImportHistoryItem = Static<typeof ImportHistoryItem>;

export const ImportHistory = Type.Object({ items: Type.Array(ImportHistoryItem) });
export type ImportHistory = Static<typeof ImportHistory>;
