import type { DomainError, StepPurpose, TransactionSummary, TransactionView } from '@cubby/core';
import type { CompartmentFields, CompartmentRow, KioskStep, Tx } from '@cubby/db';
import type { JournalEntry, KioskAction } from '@cubby/protocol';
import type { StationPolicyContext } from '../deps.js';

/**
 * What one kiosk act (a thing a person does at the locker) is made of: its
 * start, the handlers of the doors it opens, what to undo when a step is
 * given up, and, for acts a station may do alone, the replay of its offline
 * journal entry. The registry (acts.ts) routes to these; nothing else
 * switches on the act.
 */
export interface KioskAct<A extends KioskAction = KioskAction> {
  kind: A['kind'];
  start(s: Start, action: A): Promise<Started | { accepted: true }>;
  /** The doors this act opens, by what the person does there. */
  steps?: Partial<Record<StepPurpose, StepHandler>>;
  /** A step of this act's transaction was given up: undo what its start claimed. */
  abandoned?(step: StepAt): Promise<void>;
  /** The station did this act offline and now tells the server. */
  replay?(r: Replay): Promise<Decision>;
}

/** A signed-in person's request at a station. */
export interface Start {
  tx: Tx;
  ctx: StationPolicyContext;
  personId: string;
  requestId: string;
  agreementAcceptedAt: number | null;
}

export interface Started {
  transaction: TransactionView;
}

/** A door of a transaction, where something happened. */
export interface StepAt {
  tx: Tx;
  stationId: string;
  txn: KioskStep;
  door: CompartmentRow;
}

/**
 * What a door's end leads to: the next door, the doors still open of a step
 * that unlocked several at once, the end (with a technician act's summary), or a failure.
 */
export type Outcome = { next?: CompartmentRow; stillOpen?: StillOpen; summary?: TransactionSummary } | { error: DomainError };

/** The doors of a step unlocked together that have not shut yet, lowest first. */
export interface StillOpen {
  doors: number[];
  purpose: StepPurpose;
}

/** A door that serves instead of a jammed one. */
export interface Replacement {
  id: string;
  number: number;
}

export interface StepHandler {
  /** Which device sits behind the door once it shut with something inside. */
  deviceLeftIn(step: StepAt): string | null;
  /** Extra fields the closing door records along with its status (one write). */
  closedFields?(presence: boolean): CompartmentFields;
  /** The door shut; the presence sensor says whether something is inside. */
  closed(step: StepAt, presence: boolean): Promise<Outcome>;
  /**
   * The lock did not open (the door is already out of service): find another
   * door, wait on the other doors already open, end the transaction with what
   * was done (a technician act's summary), or undo and give up.
   */
  jammed(step: StepAt): Promise<Replacement | { summary: TransactionSummary } | { stillOpen: StillOpen } | undefined>;
}

export interface Replay {
  tx: Tx;
  stationId: string;
  personId: string;
  entry: JournalEntry;
}

export type Decision = { decision: 'applied' | 'flagged'; note: string | null } | { decision: 'rejected'; note: string };

/** The actor fields of an audit event a person caused at a door. */
export function personAt(step: StepAt) {
  return {
    actorType: 'person' as const,
    actorId: step.txn.person_id,
    stationId: step.stationId,
    transactionId: step.txn.id,
  };
}

/** The actor fields of an audit event the station caused (a fault, an abandoned step). */
export function stationAt(step: Pick<StepAt, 'stationId' | 'txn'>) {
  return { actorType: 'station' as const, actorId: step.stationId, stationId: step.stationId, transactionId: step.txn.id };
}
