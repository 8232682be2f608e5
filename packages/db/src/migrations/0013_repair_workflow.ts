import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * The repair workflow on the dashboard (issue 14; branch repairs-api): a
 * ticket keeps its vendor/RMA reference, the parts used, who opened it by
 * hand and the technician it is assigned to; photos of the device are stored
 * with the ticket (at most a few MB each, checked by the server).
 */
export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const bytes = dialect === 'postgres' ? 'bytea' : 'blob';
  await db.schema.alterTable('repair_tickets').addColumn('vendor_ref', 'text').execute();
  await db.schema
    .alterTable('repair_tickets')
    .addColumn('parts', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  // The actor (a dashboard user or token) who opened the ticket by hand; null for a kiosk swap.
  await db.schema.alterTable('repair_tickets').addColumn('opened_by', 'text').execute();
  // The dashboard user the ticket is assigned to.
  await db.schema.alterTable('repair_tickets').addColumn('technician_id', 'text').execute();

  await db.schema
    .createTable('repair_photos')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('ticket_id', 'text', (c) => c.notNull().references('repair_tickets.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('bytes', bytes, (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('uploaded_by', 'text')
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('repair_photos_ticket').on('repair_photos').columns(['ticket_id', 'uploaded_at']).execute();
}
