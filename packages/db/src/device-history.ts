import type { ExpressionBuilder } from 'kysely';
import { listedAuditEventColumns, toListedAuditEvent } from './audit.js';
import type { Database } from './schema.js';
import type { SiteScope } from './dashboard.js';
import type { Executor } from './transaction.js';

/**
 * Everything the audit trail says happened to one device, newest first: the
 * events about it (added, edited, assigned, and its lifecycle: `device.wiped`,
 * `device.retired`, `device.marked_lost`, `device.found`, `device.campus_moved`), about its loans and repair
 * tickets and charge sessions, and every event of the kiosk visits that
 * moved it (a door opening, closing, a swap's two doors). Found through
 * the entity and transaction indexes, never by reading every event's data.
 * A campus-limited reader sees its stations' events and those off any station (the
 * device page's, the repair board's), all about this device.
 */
export async function listDeviceHistory(
  db: Executor,
  args: { deviceId: string; scope: SiteScope; cursor?: number | undefined; limit: number },
) {
  const { deviceId } = args;
  let q = db
    .selectFrom('audit_events')
    .select(listedAuditEventColumns)
    .where('seq', 'is not', null)
    .where((eb) => aboutDevice(eb, deviceId));
  if (args.scope) {
    const scope = args.scope;
    q = q.where((eb) =>
      eb.or([
        // Off the locker (the device page, the repair board): about this device the reader may see.
        eb('station_id', 'is', null),
        ...(scope.length
          ? [eb('station_id', 'in', eb.selectFrom('stations').select('stations.id').where('stations.site_id', 'in', scope))]
          : []),
      ]),
    );
  }
  if (args.cursor !== undefined) q = q.where('seq', '<', args.cursor);
  const rows = await q
    .orderBy('seq', 'desc')
    .limit(args.limit + 1)
    .execute();
  const items = rows.slice(0, args.limit).map(toListedAuditEvent);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > args.limit && last ? String(last.seq) : null };
}

/** The events about the device, its loans, tickets and charge sessions, and the kiosk visits that moved it. */
function aboutDevice(eb: ExpressionBuilder<Database, 'audit_events'>, deviceId: string) {
  return eb.or([
    eb.and([eb('entity_type', '=', 'device'), eb('entity_id', '=', deviceId)]),
    eb.and([
      eb('entity_type', '=', 'loan'),
      eb('entity_id', 'in', eb.selectFrom('loans').select('id').where('device_id', '=', deviceId)),
    ]),
    eb.and([
      eb('entity_type', '=', 'repair_ticket'),
      eb('entity_id', 'in', eb.selectFrom('repair_tickets').select('id').where('device_id', '=', deviceId)),
    ]),
    eb.and([
      eb('entity_type', '=', 'charge_session'),
      eb('entity_id', 'in', eb.selectFrom('charge_sessions').select('id').where('device_id', '=', deviceId)),
    ]),
    eb('transaction_id', 'in', eb.selectFrom('loans').select('transaction_id').where('device_id', '=', deviceId)),
    // The kiosk visits that returned it, swapped it, charged it, picked it up (each linked to its loan, ticket or session).
    eb(
      'transaction_id',
      'in',
      eb
        .selectFrom('kiosk_transactions')
        .select('kiosk_transactions.id')
        .where((k) =>
          k.or([
            k('loan_id', 'in', k.selectFrom('loans').select('id').where('device_id', '=', deviceId)),
            k('repair_ticket_id', 'in', k.selectFrom('repair_tickets').select('id').where('device_id', '=', deviceId)),
            k('charge_session_id', 'in', k.selectFrom('charge_sessions').select('id').where('device_id', '=', deviceId)),
          ]),
        ),
    ),
  ]);
}
