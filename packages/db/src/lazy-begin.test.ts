import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type CubbyDb } from './connect.js';
import { isPlainRead } from './lazy-begin.js';
import { migrateToLatest } from './migrate.js';
import { createTestDb, testDialects } from './testing.js';

describe('isPlainRead', () => {
  it.each([
    ['select 1', true],
    ['  SELECT "id" from "loans" where "id" = $1', true],
    ['select * from "audit_chain" where "id" = $1 for update', false],
    ['select id from loans for no key update', false],
    ['select id from loans for share', false],
    ["select nextval('s')", false],
    ['select pg_advisory_xact_lock(1)', false],
    ['update "loans" set "status" = $1', false],
    ['with x as (update loans set status = $1 returning id) select * from x', false],
    ['insert into loans (id) values ($1)', false],
    ['savepoint sp_1', false],
  ])('%s → %s', (statement, plain) => expect(isPlainRead(statement)).toBe(plain));
});

/** What the PostgreSQL driver actually sent, statement by statement. */
describe('PostgreSQL transactions begin at their first write', () => {
  let cubby: CubbyDb;
  let schema: string;
  const sent: string[] = [];
  const url = process.env.CUBBY_TEST_PG_URL!;

  beforeAll(async () => {
    schema = `lazy_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    cubby = connect({ url, schema, poolSize: 2, log: (e) => void sent.push(e.query.sql) });
    await migrateToLatest(cubby);
  });
  afterAll(async () => {
    await cubby.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`drop schema ${schema} cascade`);
    await admin.end();
  });

  const run = async (work: Parameters<ReturnType<CubbyDb['db']['transaction']>['execute']>[0]): Promise<string[]> => {
    sent.length = 0;
    await cubby.db
      .transaction()
      .setIsolationLevel('read committed')
      .execute(work as never);
    return [...sent];
  };

  it('a transaction that only reads sends neither BEGIN nor COMMIT', async () => {
    const statements = await run(async (trx) => {
      await trx.selectFrom('districts').select('id').execute();
      await trx.selectFrom('stations').select('id').execute();
    });
    expect(statements).toEqual(['select "id" from "districts"', 'select "id" from "stations"']);
  });

  it('reads run before BEGIN, the first write starts the transaction, COMMIT ends it', async () => {
    const statements = await run(async (trx) => {
      await trx.selectFrom('districts').select('id').execute();
      await sql`insert into audit_chain (id, last_seq, last_hash) values (99, 0, 'x')`.execute(trx);
      await trx.selectFrom('audit_chain').select('id').execute();
    });
    expect(statements.map((s) => s.split(' ')[0])).toEqual(['select', 'start', 'insert', 'select', 'commit']);
    expect(statements[1]).toBe('start transaction isolation level read committed');
    await sql`delete from audit_chain where id = 99`.execute(cubby.db);
  });

  it('a locking read starts the transaction before it runs', async () => {
    const statements = await run(async (trx) => {
      await sql`select last_seq from audit_chain where id = 1 for update`.execute(trx);
    });
    expect(statements).toEqual([
      'start transaction isolation level read committed',
      'select last_seq from audit_chain where id = 1 for update',
      'commit',
    ]);
  });

  it('a savepoint (as inSavepoint writes it) starts the transaction first', async () => {
    sent.length = 0;
    await cubby.db.transaction().execute(async (trx) => {
      await trx.selectFrom('districts').select('id').execute();
      await sql`savepoint sp_a`.execute(trx);
      await sql`release savepoint sp_a`.execute(trx);
    });
    expect(sent.map((s) => s.split(' ')[0])).toEqual(['select', 'begin', 'savepoint', 'release', 'commit']);
  });
});

describe.each(testDialects)('transactions keep their meaning (%s)', (dialect) => {
  let cubby: CubbyDb;
  beforeAll(async () => void (cubby = await createTestDb(dialect)));
  afterAll(async () => cubby.close());

  it('a failure after a read and a write rolls the write back', async () => {
    const name = async () =>
      (await cubby.db.selectFrom('audit_chain').select('last_hash').where('id', '=', 1).executeTakeFirstOrThrow()).last_hash;
    const before = await name();
    await expect(
      cubby.db.transaction().execute(async (trx) => {
        await trx.selectFrom('audit_chain').select('last_hash').execute();
        await trx.updateTable('audit_chain').set({ last_hash: 'changed' }).where('id', '=', 1).execute();
        throw new Error('something went wrong after the write');
      }),
    ).rejects.toThrow('something went wrong');
    expect(await name()).toBe(before);
  });

  it('the pool stays usable after read-only and failed transactions', async () => {
    for (let i = 0; i < 12; i++) {
      await cubby.db.transaction().execute(async (trx) => trx.selectFrom('districts').select('id').execute());
      await cubby.db
        .transaction()
        .execute(async (trx) => {
          await trx.selectFrom('districts').select('id').execute();
          throw new Error('read-only failure');
        })
        .catch(() => undefined);
    }
    // A write outside any transaction commits on its own, as always.
    await cubby.db.updateTable('audit_chain').set({ last_hash: 'h' }).where('id', '=', 99).execute();
    expect(await cubby.db.selectFrom('districts').select('id').execute()).toEqual([]);
  });
});
