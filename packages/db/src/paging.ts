import { DomainError } from '@cubby/core';
import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * Keyset paging for the read API. A list is ordered by one sort column and
 * then the row id, and the cursor carries both values of the last row, so
 * page 1,000 costs what page 1 costs and rows added meanwhile never shift a
 * page. The cursor is opaque to clients (base64url JSON).
 */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageArgs {
  limit: number;
  cursor?: string | undefined;
}

/** What every list takes besides its own filters. */
export interface ListArgs extends PageArgs {
  /** Free-text search. */
  q?: string | undefined;
  sort?: string | undefined;
  order?: 'asc' | 'desc' | undefined;
  /** Campuses the caller may see; null: the whole district. */
  scope?: readonly string[] | null | undefined;
}

/** A sortable column: the SQL column, the field of the row that carries its value, and the value's kind. */
export interface SortKey {
  column: string;
  field: string;
  kind: 'text' | 'integer';
}

/** A sort offered as `name` (camelCase, as the API's `sort` parameter says it) on a SQL column; the row carries it as `name` too. */
export const sortOn = (column: string, field: string, kind: SortKey['kind'] = 'text'): SortKey => ({ column, field, kind });

/** A campus list that is empty matches nothing (never `in ()`). */
export const noRows = sql<boolean>`1 = 0`;

type Position = [value: string | number, id: string];

export function encodeCursor(value: unknown, id: string): string {
  return Buffer.from(JSON.stringify([typeof value === 'bigint' ? Number(value) : value, id])).toString('base64url');
}

/**
 * The position a cursor names, its value of the sort column's kind: a client
 * may send any cursor, and `1e309` (Infinity) or text against an integer
 * column would reach the database as a type error.
 */
export function decodeCursor(cursor: string, kind: SortKey['kind'] = 'text'): Position {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string' && isOfKind(parsed[0], kind)) {
      return parsed as Position;
    }
  } catch {
    // falls through to the refusal
  }
  throw new DomainError('bad_request', 'cursor is not one this list gave out');
}

const isOfKind = (value: unknown, kind: SortKey['kind']): boolean =>
  kind === 'integer' ? Number.isSafeInteger(value) : typeof value === 'string';

/** Picks the sort key a caller asked for among those a list allows. */
export function sortKey(allowed: Record<string, SortKey>, sort: string | undefined): SortKey {
  const key = allowed[sort ?? 'id'];
  if (!key) throw new DomainError('bad_request', `sort must be one of ${Object.keys(allowed).join(', ')}`);
  return key;
}

/**
 * Orders by (sort column, id) and starts after the cursor's position.
 * Sort columns are never null, so a plain row comparison is exact on both databases.
 */
export function keyset<Q>(
  query: Q,
  key: SortKey,
  idColumn: string,
  order: 'asc' | 'desc',
  cursor: string | undefined,
  limit: number,
): Q {
  let q = query as any;
  if (cursor) {
    const [value, id] = decodeCursor(cursor, key.kind);
    const op = order === 'asc' ? '>' : '<';
    q = q.where((eb: any) =>
      key.column === idColumn
        ? eb(sql.ref(idColumn), op, id)
        : eb.or([
            eb(sql.ref(key.column), op, value),
            eb.and([eb(sql.ref(key.column), '=', value), eb(sql.ref(idColumn), op, id)]),
          ]),
    );
  }
  if (key.column !== idColumn) q = q.orderBy(sql.ref(key.column), order);
  return q.orderBy(sql.ref(idColumn), order).limit(limit + 1) as Q;
}

/** Cuts the extra row keyset() fetched and makes the cursor of the last row kept. */
export function pageOf<T extends { id: string }>(rows: T[], limit: number, key: SortKey): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeCursor((last as Record<string, unknown>)[key.field], last.id) : null,
  };
}

/** Case-insensitive substring match on any of the columns (or expressions); % and _ in the text match themselves. */
export function matchesText(text: string, columns: (string | Expression<unknown>)[]): Expression<SqlBool> {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const tests = columns.map((c) => sql<SqlBool>`lower(${typeof c === 'string' ? sql.ref(c) : c}) like ${pattern} escape '\\'`);
  return sql<SqlBool>`(${sql.join(tests, sql` or `)})`;
}

/** Reads every page of a list in turn, for CSV export: memory stays one page whatever the size. */
export async function* everyRow<T, A extends ListArgs>(
  load: (args: A) => Promise<Page<T>>,
  args: A,
  pageSize = 1000,
): AsyncGenerator<T> {
  let cursor: string | undefined = args.cursor;
  for (;;) {
    const page = await load({ ...args, limit: pageSize, cursor });
    yield* page.items;
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}
