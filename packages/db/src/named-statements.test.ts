import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { StatementNames } from './named-statements.js';
import { createTestDb, type TestDb } from './testing.js';

describe('StatementNames', () => {
  it('gives a text one name, names only reads and DML, and stops naming at its limit', () => {
    const names = new StatementNames(2);
    const first = names.nameOf('select "id" from "loans" where "id" = $1');
    expect(first).toBeDefined();
    expect(names.nameOf('select "id" from "loans" where "id" = $1')).toBe(first);
    for (const control of [
      'begin',
      'commit',
      'savepoint sp_1',
      'start transaction isolation level read committed',
      'create table x (id text)',
    ])
      expect(names.nameOf(control)).toBeUndefined();
    const second = names.nameOf('update "loans" set "status" = $1 where "id" = $2');
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(names.nameOf('insert into "loans" ("id") values ($1)')).toBeUndefined();
    expect(names.nameOf('select "id" from "loans" where "id" = $1')).toBe(first);
  });
});

describe('statements on PostgreSQL', () => {
  let cubby: TestDb;
  afterEach(async () => cubby?.close());

  it('are prepared once per connection and then only bound and executed', async () => {
    cubby = await createTestDb('postgres', { poolSize: 1 });
    const read = () => cubby.db.selectFrom('districts').select('id').where('id', '=', 'none').execute();
    await read();
    await read();
    await sql`begin`.execute(cubby.db);
    await sql`commit`.execute(cubby.db);
    const prepared = await sql<{
      statement: string;
    }>`select statement from pg_prepared_statements where statement like 'select "id" from "districts"%'`.execute(cubby.db);
    expect(prepared.rows.map((r) => r.statement)).toEqual(['select "id" from "districts" where "id" = $1']);
    const control = await sql<{
      n: number;
    }>`select count(*)::int as n from pg_prepared_statements where statement in ('begin', 'commit')`.execute(cubby.db);
    expect(control.rows[0]!.n).toBe(0);
  });
});
