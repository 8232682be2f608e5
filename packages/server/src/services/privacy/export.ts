import {
  inTransaction,
  personAlerts,
  personAuditEvents,
  personChargeSessions,
  personKioskTransactions,
  personLoans,
  personRepairPhotos,
  personRepairTickets,
  findSite,
  type CubbyDb,
  type Executor,
} from '@cubby/db';
import { localIsoTime } from '@cubby/core';
import { districtTimeZone } from '../audit/audit-log.js';
import { privacyExportSections, type PrivacyExport } from '@cubby/protocol/api';
import { csvLine } from '../../routes/csv.js';
import { operatorActor, personForOperator, type Operator } from './operator.js';

/**
 * Everything Cubby holds about one person (docs/privacy.md), read in one
 * transaction with its audit event: who exported whom, and in which form.
 */
export async function exportPerson(
  cubby: CubbyDb,
  operator: Operator,
  personId: string,
  format: 'json' | 'csv',
  now = Date.now(),
): Promise<PrivacyExport> {
  return inTransaction(
    cubby,
    async (tx) => {
      const record = await personForOperator(tx, operator, personId);
      const [loans, kioskTransactions, chargeSessions, repairTickets, photos, alerts, auditEvents] = await Promise.all([
        personLoans(tx.db, personId),
        personKioskTransactions(tx.db, personId),
        personChargeSessions(tx.db, personId),
        personRepairTickets(tx.db, personId),
        personRepairPhotos(tx.db, personId),
        personAlerts(tx.db, tx.dialect, personId),
        personAuditEvents(tx.db, personId),
      ]);
      const { badgeEnrolled, offlineBadgeEnrolled, pinSet, ...person } = record;
      const { via, ...actor } = operatorActor(operator);
      tx.audit({ ...actor, action: 'person.privacy_exported', entityType: 'person', entityId: personId, data: { format, via } });
      return {
        exportedAt: tx.now,
        person: { ...person, active: person.active === 1, erasedAt: person.erasedAt ?? null },
        credentials: {
          badgeEnrolled: Boolean(badgeEnrolled),
          offlineBadgeEnrolled: Boolean(offlineBadgeEnrolled),
          pinSet: Boolean(pinSet),
        },
        loans,
        kioskTransactions,
        chargeSessions,
        repairTickets,
        // The image bytes stay on the server: each photo names the URL that serves it (docs/privacy.md).
        repairPhotos: photos.map((p) => ({ ...p, url: `/api/v1/repairs/${p.ticketId}/photos/${p.id}` })),
        alerts,
        auditEvents,
      } as PrivacyExport;
    },
    { now },
  );
}

/**
 * The export as one CSV a spreadsheet opens: a row per field of every
 * record (`section,record,field,value`), so one file holds sections of
 * different shapes; nested values (a transaction's detail) are JSON. Times
 * (`…At` fields, an event's `at`) are ISO 8601 local time with offset in the
 * person's campus zone; the JSON export keeps epoch milliseconds.
 */
export async function privacyExportCsv(db: Executor, data: PrivacyExport): Promise<string> {
  const site = data.person.siteId ? await findSite(db, data.person.siteId) : undefined;
  const timeZone = site?.time_zone ?? (await districtTimeZone(db, null));
  const cellOf = (field: string, cell: unknown) =>
    typeof cell === 'number' && (field === 'at' || field.endsWith('At')) ? localIsoTime(cell, timeZone) : cell;
  let out = csvLine(['section', 'record', 'field', 'value']);
  for (const section of privacyExportSections) {
    const value = data[section];
    const records: Record<string, unknown>[] = Array.isArray(value) ? value : [value];
    for (const record of records) {
      const id = section === 'credentials' ? data.person.id : String(record.id);
      for (const [field, cell] of Object.entries(record)) out += csvLine([section, id, field, cellOf(field, cell)]);
    }
  }
  return out;
}
