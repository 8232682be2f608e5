import type { EmailSettingsTable } from './schema.js';
import type { Executor } from './transaction.js';

/** The district's SMTP settings, with the sealed password (callers never hand it on). */
export function findEmailSettings(db: Executor, districtId: string) {
  return db.selectFrom('email_settings').selectAll().where('district_id', '=', districtId).executeTakeFirst();
}

export async function saveEmailSettings(db: Executor, row: EmailSettingsTable) {
  const { district_id: _id, ...set } = row;
  await db
    .insertInto('email_settings')
    .values(row)
    .onConflict((oc) => oc.column('district_id').doUpdateSet(set))
    .execute();
}

/**
 * Whether a message to this person would go anywhere: the person has an
 * address and their district's email is set up and on. One read, inside the
 * kiosk transaction that enqueues the message.
 */
export async function hasEmailRecipient(db: Executor, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('people')
    .innerJoin('email_settings', 'email_settings.district_id', 'people.district_id')
    .select('people.id')
    .where('people.id', '=', personId)
    .where('people.email', 'is not', null)
    .where('people.erased_at', 'is', null)
    .where('email_settings.enabled', '=', 1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Who a message goes to, and the district and station it speaks for. */
export function findEmailRecipient(db: Executor, personId: string, stationId: string) {
  return db
    .selectFrom('people')
    .innerJoin('districts', 'districts.id', 'people.district_id')
    .innerJoin('stations', (j) => j.on('stations.id', '=', stationId))
    .innerJoin('sites', 'sites.id', 'stations.site_id')
    .select([
      'people.id',
      'people.district_id as districtId',
      'people.given_name as givenName',
      'people.email',
      'people.language',
      'people.erased_at as erasedAt',
      'districts.name as districtName',
      'stations.name as stationName',
      'sites.name as siteName',
      'sites.time_zone as timeZone',
    ])
    .where('people.id', '=', personId)
    .executeTakeFirst();
}

/** A loan's facts for its receipt: the loaner's asset tag and the due time. */
export function findLoanForReceipt(db: Executor, loanId: string) {
  return db
    .selectFrom('loans')
    .innerJoin('devices', 'devices.id', 'loans.device_id')
    .select(['devices.asset_tag as assetTag', 'loans.due_at as dueAt'])
    .where('loans.id', '=', loanId)
    .executeTakeFirst();
}
