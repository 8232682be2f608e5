import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { expect } from 'vitest';
import type { Database, Dialect } from './schema.js';

/**
 * For tests that assert the SQL a query compiles to in each dialect (Kysely's
 * testSql style): a Kysely that compiles but never connects.
 */
export function compilerOnly(dialect: Dialect): Kysely<Database> {
  return new Kysely<Database>({
    dialect:
      dialect === 'sqlite'
        ? {
            createAdapter: () => new SqliteAdapter(),
            createDriver: () => new DummyDriver(),
            createIntrospector: (db) => new SqliteIntrospector(db),
            createQueryCompiler: () => new SqliteQueryCompiler(),
          }
        : {
            createAdapter: () => new PostgresAdapter(),
            createDriver: () => new DummyDriver(),
            createIntrospector: (db) => new PostgresIntrospector(db),
            createQueryCompiler: () => new PostgresQueryCompiler(),
          },
  });
}

/** SQLite spells parameters `?`, PostgreSQL `$n`; the statements are otherwise the same. */
export function expectSql(
  dialect: Dialect,
  compiled: { sql: string; parameters: readonly unknown[] },
  statement: string,
  parameters: unknown[],
): void {
  let n = 0;
  const expected = dialect === 'sqlite' ? statement : statement.replace(/\?/g, () => `$${++n}`);
  expect(compiled.sql.replace(/\s+/g, ' ')).toBe(expected);
  expect(compiled.parameters).toEqual(parameters);
}
