import type { TFunction } from 'i18next';
import type { ComponentType, ReactNode } from 'react';
import type { Permission } from '@cubby/core';
import type { Row } from '../types.js';
import type { Zones } from './reference.js';

/** What a row renderer may use: translations, the language, names of campuses and stations by id, their time zones. */
export interface RenderContext {
  t: TFunction;
  language: string;
  siteName(id: unknown): string;
  stationName(id: unknown): string;
  zones: Zones;
}

/**
 * A column of a list of `T` (an item type from @cubby/protocol/api): a field
 * of the item shown as text, or any key with its own renderer.
 */
export type ColumnDef<T = Row> = {
  /** i18n key of the header. */
  label: string;
  /** The API's `sort` value for this column (camelCase); unset: not sortable. */
  sort?: string;
  align?: 'right';
  /** Shown only to a user with one of these permissions. */
  needs?: Permission[];
} & (
  | { key: keyof T & string; render?: (row: T, ctx: RenderContext) => ReactNode }
  | { key: string; render: (row: T, ctx: RenderContext) => ReactNode }
);

export interface FilterDef {
  param: string;
  label: string;
  /** Shown only in these views (a status filter under "Open" would contradict it). */
  views?: string[];
  /** Fixed choices (i18n keys of their labels), or the district's campuses / stations. */
  options: { value: string; label: string }[] | 'sites' | 'stations';
}

export interface SortChoice {
  sort: string;
  order: 'asc' | 'desc';
}

export interface ViewDef {
  key: string;
  label: string;
  params: Record<string, string>;
  /** This view's own default sort (else the list's). */
  defaultSort?: SortChoice;
}

/** A list page: one API list (docs/dashboard-api.md "Lists") with its columns, filters and views. */
export interface ListDef<T = Row> {
  path: string;
  resource: string;
  title: string;
  searchHint: string;
  permission: Permission;
  columns: ColumnDef<T>[];
  filters: FilterDef[];
  /** Tabs that each set some query parameters (loans: active, overdue, history); the first is the default. */
  views?: ViewDef[];
  /** How the list opens until the user sorts it: open items first (the first view), newest first. */
  defaultSort?: SortChoice;
  /** The row's unique id field. */
  rowKey?: keyof T & string;
  /** Buttons beside the title (add one by hand); each checks its own permission. */
  actions?: ComponentType;
  /** Rows can be ticked (a user with this permission) and acted on together by `selection`. */
  selectable?: { permission: Permission; actions: ComponentType<SelectionProps>; label: (row: Row) => string };
}

/** What a list's bulk actions get: the ticked rows, and a way to clear them once done. */
export interface SelectionProps {
  rows: Row[];
  clear(): void;
}

/** A list of one item type, as the generic list page renders it (rows by column key). */
export const listOf = <T>(def: ListDef<T>): ListDef => def as unknown as ListDef;

/** A cell of a list's table: its column's renderer, or the field as text ("—" when empty). */
export function renderCell(col: ColumnDef, row: Row, ctx: RenderContext): ReactNode {
  if (col.render) return col.render(row, ctx);
  const value = row[col.key];
  return value == null ? '—' : String(value);
}
