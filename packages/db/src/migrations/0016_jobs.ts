import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * The durable job runner's outbox and email (docs/notifications.md): a job is
 * written in the same transaction as the change that causes it, and its
 * dedupe key keeps one cause from enqueueing twice; a district's SMTP
 * settings (the password sealed under the server secret); and on each person
 * the email address and language a message goes to.
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const json = dialect === 'postgres' ? sql`jsonb` : sql`text`;
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', json, (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    // The lease: which runner holds the job, and until when; past it, another may take it over.
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_until', 'bigint')
    .addColumn('last_error', 'text')
    // What the side effect produced (an email's Message-ID and the server's reply), written with `done`.
    .addColumn('result', json)
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .execute();
  await db.schema.createIndex('jobs_due').on('jobs').columns(['state', 'run_at']).execute();
  await db.schema.createIndex('jobs_kind_created').on('jobs').columns(['kind', 'created_at']).execute();

  await db.schema
    .createTable('email_settings')
    .addColumn('district_id', 'text', (c) => c.primaryKey().references('districts.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('host', 'text', (c) => c.notNull())
    .addColumn('port', 'integer', (c) => c.notNull())
    // tls: TLS from the first byte (465); starttls: upgrade required (587); none: plain (a relay on the LAN).
    .addColumn('security', 'text', (c) => c.notNull())
    .addColumn('username', 'text')
    // AES-256-GCM under a key derived from CUBBY_SECRET; never answered by the API.
    .addColumn('password_sealed', 'text')
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('default_language', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();

  await db.schema.alterTable('people').addColumn('email', 'text').execute();
  await db.schema.alterTable('people').addColumn('language', 'text').execute();
}
