import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../connect.js';
import { migrateToLatest } from '../migrate.js';

/**
 * pg_trgm is optional: creating it needs a superuser or the database's owner.
 * Each case gets a database of its own, so whether another test's migration
 * installed the extension in the shared one does not matter.
 */
describe('migration 0005 on PostgreSQL', () => {
  const url = process.env.CUBBY_TEST_PG_URL!;
  const suffix = `${process.pid}_${Date.now().toString(36)}`;
  const role = `cubby_plain_${suffix}`;
  const databases: string[] = [];
  const admin = async (statement: string) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  const urlOf = (database: string, user = 'postgres') => {
    const u = new URL(url);
    u.username = user;
    u.pathname = `/${database}`;
    return u.toString();
  };
  async function aDatabase(name: string) {
    const database = `cubby_${name}_${suffix}`;
    await admin(`create database ${database}`);
    databases.push(database);
    return database;
  }
  async function searchIndexes(dbUrl: string, schema: string) {
    const c = new pg.Client({ connectionString: dbUrl });
    await c.connect();
    try {
      const indexes = await c.query<{ indexname: string }>(
        `select indexname from pg_indexes where schemaname = $1 and indexname like '%search' order by 1`,
        [schema],
      );
      const extension = await c.query(`select 1 from pg_extension where extname = 'pg_trgm'`);
      return { indexes: indexes.rows.map((r) => r.indexname), extension: extension.rowCount === 1 };
    } finally {
      await c.end();
    }
  }

  beforeAll(async () => admin(`create role ${role} login`));
  afterAll(async () => {
    for (const database of databases) await admin(`drop database if exists ${database}`);
    await admin(`drop role if exists ${role}`);
  });

  it('without the right to create pg_trgm the migration still succeeds, with no trigram indexes', async () => {
    const database = await aDatabase('plain');
    // The role owns its schema but not the database, so it may not create an extension.
    const c = new pg.Client({ connectionString: urlOf(database) });
    await c.connect();
    await c.query(`create schema app authorization ${role}`);
    await c.end();
    const cubby = connect({ url: urlOf(database, role), schema: 'app' });
    try {
      await migrateToLatest(cubby);
    } finally {
      await cubby.close();
    }
    expect(await searchIndexes(urlOf(database), 'app')).toEqual({ indexes: [], extension: false });
  });

  it('with it, the extension goes to public once and every schema gets its trigram indexes', async () => {
    const database = await aDatabase('super');
    for (const schema of ['s1', 's2']) {
      const c = new pg.Client({ connectionString: urlOf(database) });
      await c.connect();
      await c.query(`create schema ${schema}`);
      await c.end();
      const cubby = connect({ url: urlOf(database), schema });
      try {
        await migrateToLatest(cubby);
      } finally {
        await cubby.close();
      }
      expect(await searchIndexes(urlOf(database), schema)).toEqual({
        indexes: ['devices_search', 'people_search'],
        extension: true,
      });
    }
  });
});
