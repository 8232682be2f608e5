import { sql, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';
import type { Executor } from './transaction.js';

/** Rows per statement: a few thousand parameters, well under both dialects' limits. */
export const batchRows = 500;

/** Splits a list into statement-sized chunks. */
export function* batches<T>(items: readonly T[], size = batchRows): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * Many rows updated by id in one statement per batch, each with its own
 * values: `WITH v(id, a, b) AS (VALUES …) UPDATE t SET a = v.a … FROM v WHERE
 * t.id = v.id`, which SQLite (3.33+) and PostgreSQL both read. Values travel
 * as parameters; `casts` names the columns that are not text, since a
 * parameter in VALUES has no type of its own on PostgreSQL.
 */
export async function updateRowsById<T extends keyof Database>(
  db: Executor,
  table: T,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  casts: Readonly<Record<string, 'integer' | 'bigint'>> = {},
): Promise<void> {
  for (const batch of batches(rows)) {
    const values = sql.join(batch.map((row) => sql`(${sql.join([row.id, ...columns.map((c) => row[c] ?? null)])})`));
    const set = sql.join(
      columns.map((c) => {
        const value: RawBuilder<unknown> = casts[c] ? sql`cast(v.${sql.ref(c)} as ${sql.raw(casts[c])})` : sql`v.${sql.ref(c)}`;
        return sql`${sql.ref(c)} = ${value}`;
      }),
    );
    const names = sql.join(['id', ...columns].map((c) => sql.ref(c)));
    await sql`with v(${names}) as (values ${values}) update ${sql.table(table)} set ${set} from v where ${sql.table(table)}.id = v.id`.execute(
      db,
    );
  }
}
