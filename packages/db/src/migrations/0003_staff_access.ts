import type { Kysely } from 'kysely';

/**
 * Dashboard sign-in (issue 5). `users` are the district's staff who use the
 * dashboard (students and kiosk staff stay in `people`); sessions are stored
 * by the hash of their cookie so a database leak does not hand them out.
 * API tokens gain a campus scope, and stations a one-time enrollment code.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('district_id', 'text', (c) => c.notNull().references('districts.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    // JSON array of site ids for site-scoped roles; null for district-wide ones.
    .addColumn('site_ids', 'text')
    // argon2id; null for single-sign-on-only accounts.
    .addColumn('password_hash', 'text')
    .addColumn('oidc_subject', 'text', (c) => c.unique())
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint')
    .execute();

  await db.schema
    .createTable('user_sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('user_sessions_user').on('user_sessions').column('user_id').execute();

  await db.schema.alterTable('api_tokens').addColumn('site_ids', 'text').execute();
  await db.schema.alterTable('api_tokens').addColumn('created_by', 'text').execute();

  await db.schema.alterTable('stations').addColumn('enroll_code_hash', 'text').execute();
  await db.schema.alterTable('stations').addColumn('enroll_expires_at', 'bigint').execute();
}
