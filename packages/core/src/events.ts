/**
 * What a committed change announces. Realtime feeds, station commands,
 * webhooks and notifications subscribe to these; nothing polls.
 */
export type CubbyEvent =
  | { type: 'compartment.changed'; stationId: string; compartmentId: string; number: number; status: string }
  | { type: 'loan.started'; loanId: string; stationId: string; personId: string; deviceId: string }
  | { type: 'loan.returned'; loanId: string; stationId: string; personId: string; deviceId: string }
  | { type: 'loan.cancelled'; loanId: string; stationId: string }
  | { type: 'repair.created'; ticketId: string; deviceId: string; stationId: string }
  | { type: 'transaction.updated'; transactionId: string; stationId: string; status: string }
  | { type: 'alert.raised'; alertId: string; kind: string; stationId: string; compartmentNumber: number | null }
  | { type: 'station.connection'; stationId: string; connected: boolean }
  | { type: 'station.command'; stationId: string; command: StationCommand };

/** A door to open, decided inside a transaction and sent once it commits. */
export interface StationCommand {
  kind: 'unlock';
  commandId: string;
  compartment: number;
  transactionId: string | null;
  purpose: string | null;
}
