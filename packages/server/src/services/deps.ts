import {
  DomainError,
  parseChargeSettings,
  parseLoanPolicy,
  type ChargeSettings,
  type LoanPolicy,
  type RepairStatus,
  type StationCommand,
  type TransactionView,
} from '@cubby/core';
import {
  findStationContext,
  inTransaction,
  newId,
  parseJson,
  setCompartmentFields,
  type CubbyDb,
  type StationContext,
  type Tx,
} from '@cubby/db';
import type { Logger } from 'pino';
import { EventBus } from '../bus.js';
import type { ServerConfig } from '../config.js';
import { Keys } from '../secrets.js';
import { PasswordHasher } from './password-hashing.js';

/** What every use case needs: the database, the event bus, keys and settings. */
export interface Services {
  cubby: CubbyDb;
  bus: EventBus;
  keys: Keys;
  config: ServerConfig;
  log: Logger;
  /** Every argon2id hash and check goes through it (a cap on how many run at once). */
  hashes: PasswordHasher;
}

/** The services of a command run by an operator (the CLI) with the server's database and configuration. */
export function operatorServices(cubby: CubbyDb, config: ServerConfig, log: Logger): Services {
  const bus = new EventBus((error) => log.error({ err: error }, 'event listener failed'));
  return {
    cubby,
    bus,
    keys: new Keys(config.secret),
    config,
    log,
    hashes: new PasswordHasher(config.hashConcurrency, config.hashQueue),
  };
}

/** Runs a use case in one transaction whose events reach the bus after commit. */
export function transact<T>(services: Services, work: (tx: Tx) => Promise<T>): Promise<T> {
  return inTransaction(services.cubby, work, { publish: services.bus.publish });
}

/** The district's own loaner agreement, paragraphs per language (none: the kiosk's built-in text). */
export type LoanerAgreement = { en: string[]; es: string[] };

export type StationPolicyContext = StationContext & {
  policy: LoanPolicy;
  agreement: LoanerAgreement | null;
  /** How the charge of a loaner no board measures is estimated (district settings' `chargeEstimate`). */
  charge: ChargeSettings;
};

export async function stationContext(tx: Pick<Tx, 'db'>, stationId: string): Promise<StationPolicyContext> {
  const ctx = await findStationContext(tx.db, stationId);
  if (!ctx) throw new DomainError('not_found', 'Unknown station');
  return withPolicy(ctx);
}

/** The district's loan policy and agreement, from a station context row read by any query. */
export function withPolicy<C extends StationContext>(ctx: C): C & Omit<StationPolicyContext, keyof StationContext> {
  const settings = parseJson<{ loanPolicy?: Partial<LoanPolicy>; agreement?: unknown; chargeEstimate?: Partial<ChargeSettings> }>(
    ctx.districtSettings,
  );
  return {
    ...ctx,
    policy: parseLoanPolicy(settings.loanPolicy),
    agreement: parseAgreement(settings.agreement),
    charge: parseChargeSettings(settings.chargeEstimate),
  };
}

function parseAgreement(value: unknown): LoanerAgreement | null {
  const paragraphs = (v: unknown) =>
    Array.isArray(v) && v.length > 0 && v.every((p) => typeof p === 'string' && p.length <= 2000);
  const a = value as Partial<LoanerAgreement> | undefined;
  return a && paragraphs(a.en) && paragraphs(a.es) ? { en: a.en!, es: a.es! } : null;
}

/** Opens a door for a transaction step: the command goes out once the transaction commits. */
export async function issueUnlock(
  tx: Tx,
  stationId: string,
  compartment: { id: string; number: number },
  transactionId: string,
  purpose: string,
  /** Set when the reservation already wrote the command id (saves a write). */
  reservedCommandId?: string,
): Promise<string> {
  const commandId = reservedCommandId ?? newId();
  if (!reservedCommandId) await setCompartmentFields(tx.db, compartment.id, { command_id: commandId }, tx.now);
  sendCommand(tx, stationId, { kind: 'unlock', commandId, compartment: compartment.number, transactionId, purpose });
  return commandId;
}

export function sendCommand(tx: Tx, stationId: string, command: StationCommand): void {
  tx.emit({ type: 'station.command', stationId, command });
}

export function announceTransaction(tx: Tx, stationId: string, view: TransactionView): void {
  tx.emit({ type: 'transaction.updated', stationId, transaction: view });
}

export function announceCompartment(
  tx: Tx,
  stationId: string,
  compartment: { id: string; number: number },
  status: string,
): void {
  tx.emit({ type: 'compartment.changed', stationId, compartmentId: compartment.id, number: compartment.number, status });
}

/** A repair ticket moved or changed: the board and an open ticket page refetch it (routes/live.ts). */
export function announceRepair(tx: Tx, ticket: { id: string; deviceId: string }, status: RepairStatus): void {
  tx.emit({ type: 'repair.changed', ticketId: ticket.id, deviceId: ticket.deviceId, status });
}

export function problemOf(error: DomainError): NonNullable<TransactionView['error']> {
  return { code: error.code, title: error.message };
}
