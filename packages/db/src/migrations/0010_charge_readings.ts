import type { Kysely } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * What core's charge estimate needs (docs/hardware.md#charge): when a device's
 * level was last measured, since when it has sat on a compartment's charger,
 * and a current-sensing board's latest "charging"/"charged" for the port.
 */
export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // Null: the level was never measured (the estimate starts from the default).
  await db.schema.alterTable('devices').addColumn('battery_measured_at', 'bigint').execute();
  // Levels already recorded were the stations' readings at the time of their last change.
  await db
    .updateTable('devices')
    .set((eb) => ({ battery_measured_at: eb.ref('updated_at') }))
    .execute();
  await db.schema.alterTable('compartments').addColumn('charging_since', 'bigint').execute();
  await db.schema.alterTable('compartments').addColumn('charge_sensed', 'text').execute();
  await db.schema.alterTable('compartments').addColumn('charge_sensed_at', 'bigint').execute();
}
