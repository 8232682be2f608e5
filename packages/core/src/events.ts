import type { BankDifference } from './compartment/bank-difference.js';
import type { RepairStatus } from './repair/repair-ticket.js';

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
  /** A ticket moved or was edited (dashboard or kiosk); its campus is the ticket's, looked up by the live feed. */
  | { type: 'repair.changed'; ticketId: string; deviceId: string; status: RepairStatus }
  | { type: 'transaction.updated'; stationId: string; transaction: TransactionView }
  | { type: 'alert.raised'; alertId: string; kind: string; stationId: string; compartmentNumber: number | null }
  | { type: 'station.connection'; stationId: string; connected: boolean }
  /** The station's credential was revoked or replaced: its live link must close. */
  | { type: 'station.revoked'; stationId: string }
  | { type: 'station.command'; stationId: string; command: StationCommand };

/** Something a station must do, decided inside a transaction and sent once it commits. */
export type StationCommand =
  | { kind: 'unlock'; commandId: string; compartment: number; transactionId: string | null; purpose: string | null }
  | { kind: 'set_charging'; compartment: number; on: boolean };

/** What a kiosk shows about a transaction in progress or just finished. */
export interface TransactionView {
  id: string;
  kind: string;
  status: 'in_progress' | 'completed' | 'failed';
  /** The door the person should be at now. */
  compartment: number | null;
  purpose: string | null;
  /** Every door open at once for this step (a collection all at once), lowest first; `compartment` is the first. */
  openDoors?: number[];
  dueAt?: number;
  error?: { code: string; title: string; detail?: string };
  /** How a technician's collection or take-out ended, door by door (the kiosk's done screen says it). */
  summary?: TransactionSummary;
}

export interface TransactionSummary {
  /** Devices that left through their doors. */
  collected: number;
  /** Doors the records said were loaded but whose sensor read empty: flagged, not opened. */
  emptyDoors: number[];
  /** Doors shut with the device still inside. */
  leftInside: number[];
  /** Doors whose lock did not open: out of service now. */
  jammedDoors: number[];
  /** A door opening or a bank check: each door whose contents, once shut, disagreed with the records. */
  differences?: BankDifference[];
}
