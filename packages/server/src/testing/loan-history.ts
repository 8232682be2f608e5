import type { LoanReason } from '@cubby/core';
import { newId, type CubbyDb } from '@cubby/db';
import { aTicketRow } from './builders.js';

/**
 * A loan from the past, as a finished kiosk transaction left it: what the
 * analytics and capacity tests read as history. `swapOf` makes it a swap's
 * loan: a repair ticket for that broken device names it.
 */
export async function aPastLoan(
  cubby: CubbyDb,
  loan: {
    stationId: string;
    compartmentId: string;
    personId: string;
    deviceId: string;
    startedAt: number;
    endedAt: number | null;
    reason?: LoanReason;
    swapOf?: string;
  },
) {
  const transactionId = newId();
  const loanId = newId();
  await cubby.db
    .insertInto('kiosk_transactions')
    .values({
      id: transactionId,
      station_id: loan.stationId,
      person_id: loan.personId,
      request_id: newId(),
      kind: loan.swapOf ? 'swap' : 'borrow',
      status: 'completed',
      error_code: null,
      loan_id: loanId,
      repair_ticket_id: null,
      charge_session_id: null,
      detail: '{}',
      created_at: loan.startedAt,
      completed_at: loan.startedAt,
    })
    .execute();
  await cubby.db
    .insertInto('loans')
    .values({
      id: loanId,
      device_id: loan.deviceId,
      person_id: loan.personId,
      station_id: loan.stationId,
      compartment_id: loan.compartmentId,
      transaction_id: transactionId,
      reason: loan.reason ?? (loan.swapOf ? 'broken' : 'forgotten'),
      status: loan.endedAt === null ? 'active' : 'returned',
      created_at: loan.startedAt,
      started_at: loan.startedAt,
      due_at: loan.startedAt + 8 * 3_600_000,
      ended_at: loan.endedAt,
      return_station_id: loan.endedAt === null ? null : loan.stationId,
    })
    .execute();
  if (loan.swapOf)
    await cubby.db
      .insertInto('repair_tickets')
      .values(
        aTicketRow({
          id: newId(),
          device_id: loan.swapOf,
          person_id: loan.personId,
          status: loan.endedAt === null ? 'in_repair' : 'closed',
          transaction_id: transactionId,
          loan_id: loanId,
          reported_at: loan.startedAt,
          closed_at: loan.endedAt,
        }),
      )
      .execute();
  return { loanId, transactionId };
}
