import type { Executor } from './transaction.js';
import type { AlertTable } from './schema.js';

export async function insertAlert(db: Executor, alert: AlertTable) {
  await db
    .insertInto('alerts')
    .values({ ...alert, detail: JSON.stringify(alert.detail) })
    .execute();
}

export function openAlert(db: Executor, stationId: string, compartmentId: string, kind: AlertTable['kind']) {
  return db
    .selectFrom('alerts')
    .select('id')
    .where('station_id', '=', stationId)
    .where('compartment_id', '=', compartmentId)
    .where('kind', '=', kind)
    .where('cleared_at', 'is', null)
    .executeTakeFirst();
}

export async function clearAlerts(db: Executor, compartmentId: string, kind: AlertTable['kind'], now: number) {
  await db
    .updateTable('alerts')
    .set({ cleared_at: now })
    .where('compartment_id', '=', compartmentId)
    .where('kind', '=', kind)
    .where('cleared_at', 'is', null)
    .execute();
}
