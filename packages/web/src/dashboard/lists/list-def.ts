import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import type { Permission } from '@cubby/core';
import type { Row } from '../types.js';

/** What a row renderer may use: translations, the language, and names of campuses and stations by id. */
export interface RenderContext {
  t: TFunction;
  language: string;
  siteName(id: unknown): string;
  stationName(id: unknown): string;
}

export interface ColumnDef {
  key: string;
  /** i18n key of the header. */
  label: string;
  /** The API's `sort` value for this column; unset: not sortable. */
  sort?: string;
  align?: 'right';
  render?: (row: Row, ctx: RenderContext) => ReactNode;
}

export interface FilterDef {
  param: string;
  label: string;
  /** Fixed choices (i18n keys of their labels), or the district's campuses / stations. */
  options: { value: string; label: string }[] | 'sites' | 'stations';
}

/** A list page: one API list (docs/dashboard-api.md "Lists") with its columns, filters and views. */
export interface ListDef {
  path: string;
  resource: string;
  title: string;
  searchHint: string;
  permission: Permission;
  columns: ColumnDef[];
  filters: FilterDef[];
  /** Tabs that each set some query parameters (loans: active, overdue, history). */
  views?: { key: string; label: string; params: Record<string, string> }[];
  /** The row's unique id field. */
  rowKey?: string;
}
