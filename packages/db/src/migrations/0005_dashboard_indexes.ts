import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * The dashboard's lists at district scale (300,000 loans, 5,000,000 audit
 * events; bench/RESULTS.md, "Dashboard at district scale"). Each index serves
 * one list query in activity-lists.ts or lists.ts; the two it widens are
 * dropped.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  // Open loans by due date: a few hundred rows, not the year of returned loans
  // the plain (due_at, id) index walks past first.
  await db.schema
    .createIndex('loans_open_due')
    .on('loans')
    .columns(['due_at', 'id'])
    .where(sql.ref('status'), 'in', ['pending', 'active', 'overdue'])
    .execute();
  // Loan history newest first pages on (created_at, id).
  await db.schema.createIndex('loans_created_id').on('loans').columns(['created_at', 'id']).execute();
  await db.schema.dropIndex('loans_created').execute();
  // A loan search finds its devices first, then their loans.
  await db.schema.createIndex('loans_device').on('loans').columns(['device_id', 'id']).execute();

  // The audit log filtered by entity type or action, newest first.
  await db.schema.createIndex('audit_events_type_seq').on('audit_events').columns(['entity_type', 'seq']).execute();
  await db.schema.createIndex('audit_events_action_seq').on('audit_events').columns(['action', 'seq']).execute();
  // A time range is read in (at, seq) order, so the index finds its start.
  await db.schema.createIndex('audit_events_at_seq').on('audit_events').columns(['at', 'seq']).execute();
  await db.schema.dropIndex('audit_events_at').execute();

  if (dialect === 'postgres') await createTrigramIndexes(db);
}

/**
 * Substring search (`q=`) on devices and people through trigram indexes, when
 * the server has pg_trgm (contrib; creating it needs a superuser or, as a
 * trusted extension, the database's owner). Without it the search still
 * works, by scanning: see docs/operations.md.
 */
async function createTrigramIndexes(db: Kysely<any>): Promise<void> {
  // A failed CREATE EXTENSION must not abort the migration's transaction: the
  // DO block's handler runs it in a subtransaction. Installed in `public` when
  // that exists, so one database's schemas share it and dropping one schema
  // does not take it away from the others.
  await sql`do $$
    begin
      if not exists (select 1 from pg_extension where extname = 'pg_trgm') then
        if exists (select 1 from pg_namespace where nspname = 'public') then
          create extension if not exists pg_trgm with schema public;
        else
          create extension if not exists pg_trgm;
        end if;
      end if;
    exception when others then
      raise notice 'pg_trgm is not available (%): substring search scans', sqlerrm;
    end
  $$`.execute(db);
  const installed = await sql<{ schema: string }>`
    select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(
    db,
  );
  const schema = installed.rows[0]?.schema;
  if (!schema) return;
  // The expressions are matchesText()'s (paging.ts), column for column.
  const ops = sql`${sql.id(schema)}.gin_trgm_ops`;
  await sql`create index devices_search on devices using gin
    (lower(asset_tag) ${ops}, lower(serial) ${ops}, lower(model) ${ops})`.execute(db);
  await sql`create index people_search on people using gin
    (lower(student_number) ${ops}, lower(external_id) ${ops}, lower(given_name || ' ' || family_name) ${ops})`.execute(db);
}
