import { domainErrorCodes } from '@cubby/core';
import {
  TransactionView as TransactionViewSchema,
  type ActionResult,
  type Credential,
  type KioskAction,
  type KioskSignIn,
  type KioskUpdate,
  type SignedIn,
  type StationStatus,
  type TransactionView,
} from '@cubby/protocol';
import { Value } from '@sinclair/typebox/value';
import { BoundedMap } from './bounded-map.js';
import { isLockFault, type DoorState, type LockDriver } from './drivers/driver.js';
import type { OfflineJournal } from './journal.js';
import type { PolicySnapshot, SetChargingCommand, StationLink, TransactionUpdate, UnlockCommand } from './link.js';
import type { OfflineSession } from './offline-desk.js';
import { OfflineMode } from './offline-mode.js';
import { silentLogger, type Logger } from './logger.js';
import { StationRequestError, isStationRequestError } from './request-error.js';
import { TypedEmitter } from './typed-emitter.js';

/** A door the agent has just opened for a step of a transaction. */
export interface UnlockedDoor {
  compartment: number;
  purpose: string | null;
  transactionId: string | null;
  commandId: string;
}

/** What the kiosk screen follows live (server-sent events). */
export type AgentUpdate = KioskUpdate;

export type StationAgentEvents = {
  unlocked: [UnlockedDoor];
  update: [AgentUpdate];
};

export type { StationStatus };

/** The `auth` result as the server sent it, minus the session token the agent keeps (or the station's own, offline). */
export type SignInResult = Omit<KioskSignIn, 'signedIn'>;
export type { ActionResult };

export interface StationAgentOptions {
  driver: LockDriver;
  link: StationLink;
  logger?: Logger;
  /** A door open longer than this raises `door_left_open` once per opening. Default 60 s. */
  doorLeftOpenMs?: number;
  /** How long kiosk requests wait for the server. Default 10 s. */
  requestTimeoutMs?: number;
  /** How many unlock command ids are remembered to refuse repeats. Default 2,000. */
  rememberedCommands?: number;
  /** How many transactions' latest state are kept. Default 500. */
  rememberedTransactions?: number;
  /** The offline journal; without one the station does nothing while its link is down. */
  journal?: OfflineJournal;
}

interface TransactionWaiter {
  accepts: (transaction: TransactionView) => boolean;
  settle: (transaction: TransactionView | Error) => void;
}

const isTransactionView = (value: unknown): value is TransactionView => Value.Check(TransactionViewSchema, value);

/**
 * The station's brain between the lock board, the server and the kiosk screen:
 * it opens doors the server commands (each command at most once), reports what
 * the sensors see, and gives the kiosk a small programmatic API.
 */
export class StationAgent extends TypedEmitter<StationAgentEvents> {
  readonly #driver: LockDriver;
  readonly #link: StationLink;
  readonly #log: Logger;
  readonly #doorLeftOpenMs: number;
  readonly #requestTimeoutMs: number;
  readonly #commands: BoundedMap<string, true>;
  readonly #transactions: BoundedMap<string, TransactionView>;
  readonly #waiters = new Map<string, Set<TransactionWaiter>>();
  readonly #presence = new Map<number, boolean>();
  readonly #openDoors = new Map<number, NodeJS.Timeout>();
  readonly #unlocking = new Map<number, number>();
  readonly #offline: OfflineMode | undefined;
  #session: string | undefined;
  #offlineSession: OfflineSession | undefined;

  constructor(options: StationAgentOptions) {
    super();
    this.#driver = options.driver;
    this.#link = options.link;
    this.#log = options.logger ?? silentLogger;
    this.#doorLeftOpenMs = options.doorLeftOpenMs ?? 60_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#commands = new BoundedMap(options.rememberedCommands ?? 2_000);
    this.#transactions = new BoundedMap(options.rememberedTransactions ?? 500);
    // The kiosk's SSE clients each listen to 'update'.
    this.setMaxListeners(100);
    if (options.journal) {
      this.#offline = new OfflineMode({
        journal: options.journal,
        link: this.#link,
        driver: this.#driver,
        log: this.#log,
        record: (t) => this.#record(t),
        requestTimeoutMs: this.#requestTimeoutMs,
      });
      const journal = options.journal;
      // The replay tells the server what happened at these doors; their readings would jump ahead of it.
      this.#link.withholdFromHello(() => journal.entries().map((e) => e.compartment));
      this.#link.reportJournalSeq(() => journal.highestSeq());
    }
    this.#driver.on('door', this.#onDoor).on('presence', this.#onPresence).on('battery', this.#onBattery);
    this.#link
      .on('unlock', this.#onUnlock)
      .on('transaction', this.#onTransaction)
      .on('set_charging', this.#onSetCharging)
      .on('online', this.#onLinkChange)
      .on('offline', this.#onLinkChange)
      .on('policy_snapshot', this.#onSnapshot);
  }

  /** Learns what the sensors read now, so doors already open are watched too. */
  async start(): Promise<void> {
    for (const reading of await this.#driver.readings()) {
      this.#presence.set(reading.number, reading.presence);
      if (reading.door === 'open') this.#watchDoor(reading.number);
    }
    await this.#offline?.recover();
    if (this.#link.online) void this.#offline?.replay();
  }

  get signedIn(): boolean {
    return this.#session !== undefined || this.#offlineSession !== undefined;
  }

  /** Resolves once the offline journal has been replayed as far as the link allows. */
  replayJournal(): Promise<void> {
    return this.#offline?.replay() ?? Promise.resolve();
  }

  /** Starts the station's one kiosk session, ending whichever was there. */
  async signIn(credential: Credential): Promise<SignInResult> {
    this.signOut();
    if (this.#offline && !this.#link.online) return this.#signInOffline(credential);
    await this.#offline?.settled;
    let data: unknown;
    try {
      data = await this.#link.request<unknown>({ type: 'auth', credential }, this.#requestTimeoutMs);
    } catch (error) {
      // The link died under the request: signing in changes nothing on the server, so the snapshot may answer.
      if (this.#offline && isStationRequestError(error) && error.code === 'offline') return this.#signInOffline(credential);
      throw error;
    }
    // Only the token is checked: the rest goes to the kiosk as the server sent it.
    const { session, ...rest } = (data ?? {}) as SignedIn;
    if (typeof session !== 'string') throw StationRequestError.of('bad_response', 'the sign-in answer carries no session');
    this.#session = session;
    this.emit('update', { type: 'session', signedIn: true });
    return rest;
  }

  #signInOffline(credential: Credential): SignInResult {
    const { session, result } = this.#offline!.signIn(credential);
    this.#offlineSession = session;
    this.emit('update', { type: 'session', signedIn: true });
    return result;
  }

  async act(action: KioskAction): Promise<ActionResult> {
    if (this.#offlineSession && this.#offline) return this.#offline.act(this.#offlineSession, action);
    const session = this.#session;
    if (!session) {
      throw new StationRequestError({
        code: 'session_expired',
        title: domainErrorCodes.session_expired.title,
        detail: 'Sign in first',
      });
    }
    let data: unknown;
    try {
      // The server must hear what the station did offline before it decides anything new.
      await this.#offline?.settled;
      data = await this.#link.request<unknown>({ type: 'request', session, action }, this.#requestTimeoutMs);
    } catch (error) {
      if (isStationRequestError(error) && error.code === 'session_expired' && this.#session === session) this.signOut();
      throw error;
    }
    const result = (data ?? {}) as ActionResult;
    const transaction = result.transaction;
    // A push may already have told a newer state than this answer; keep the newer one.
    if (isTransactionView(transaction) && !this.#transactions.has(transaction.id)) this.#record(transaction);
    return result;
  }

  /** Ends the kiosk session here; the server lets its session token expire. */
  signOut(): void {
    if (this.#session === undefined && this.#offlineSession === undefined) return;
    this.#session = undefined;
    this.#offlineSession = undefined;
    this.emit('update', { type: 'session', signedIn: false });
  }

  transaction(id: string): TransactionView | undefined {
    return this.#transactions.get(id);
  }

  /** Resolves with the first known state of the transaction that `accepts` (by default: finished). */
  waitForTransaction(
    id: string,
    accepts: (transaction: TransactionView) => boolean = (t) => t.status !== 'in_progress',
    timeoutMs = 60_000,
  ): Promise<TransactionView> {
    const known = this.#transactions.get(id);
    if (known && accepts(known)) return Promise.resolve(known);
    return new Promise<TransactionView>((resolve, reject) => {
      const waiters = this.#waiters.get(id) ?? new Set<TransactionWaiter>();
      this.#waiters.set(id, waiters);
      const waiter: TransactionWaiter = {
        accepts,
        settle: (outcome) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          if (waiters.size === 0) this.#waiters.delete(id);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      };
      const timer = setTimeout(
        () =>
          waiter.settle(
            StationRequestError.of('timeout', `transaction ${id} did not reach the awaited state in ${timeoutMs} ms`),
          ),
        timeoutMs,
      );
      waiters.add(waiter);
    });
  }

  async status(): Promise<StationStatus> {
    const identity = this.#link.identity;
    return {
      stationId: identity?.stationId ?? null,
      stationName: identity?.stationName ?? null,
      online: this.#link.online,
      offlineReady: this.#offline?.isReady ?? false,
      signedIn: this.signedIn,
      compartments: await this.#driver.readings(),
    };
  }

  /** Lets go of the driver and the link (it does not close them) and of every timer. */
  async close(): Promise<void> {
    this.#driver.off('door', this.#onDoor).off('presence', this.#onPresence).off('battery', this.#onBattery);
    this.#link
      .off('unlock', this.#onUnlock)
      .off('transaction', this.#onTransaction)
      .off('set_charging', this.#onSetCharging)
      .off('online', this.#onLinkChange)
      .off('offline', this.#onLinkChange)
      .off('policy_snapshot', this.#onSnapshot);
    for (const timer of this.#openDoors.values()) clearTimeout(timer);
    this.#openDoors.clear();
    const closing = StationRequestError.of('offline', 'the station agent is shutting down');
    for (const waiters of [...this.#waiters.values()]) for (const waiter of [...waiters]) waiter.settle(closing);
  }

  // ---- server → station ----

  readonly #onUnlock = (command: UnlockCommand): void => {
    this.#unlock(command).catch((error: unknown) => this.#log.error({ err: String(error) }, 'unlock handling failed'));
  };

  async #unlock(command: UnlockCommand): Promise<void> {
    const { commandId, compartment, purpose, transactionId } = command;
    if (this.#commands.has(commandId)) {
      this.#log.info({ commandId, compartment }, 'ignored a repeated unlock command');
      return;
    }
    this.#commands.set(commandId, true);
    this.#unlocking.set(compartment, (this.#unlocking.get(compartment) ?? 0) + 1);
    try {
      await this.#driver.unlock(compartment, command.pulseMs);
    } catch (error) {
      const detail = (isLockFault(error) ? error.detail : String(error)).slice(0, 200);
      this.#log.warn({ commandId, compartment, detail }, 'lock fault');
      this.#link.sendEvent({ kind: 'lock_fault', compartment, commandId, detail });
      return;
    } finally {
      const left = (this.#unlocking.get(compartment) ?? 1) - 1;
      if (left > 0) this.#unlocking.set(compartment, left);
      else this.#unlocking.delete(compartment);
    }
    this.#link.sendEvent({ kind: 'door_opened', compartment, commandId });
    this.emit('unlocked', { compartment, purpose, transactionId, commandId });
  }

  readonly #onTransaction = (update: TransactionUpdate): void => this.#record(update.transaction);

  readonly #onSetCharging = (command: SetChargingCommand): void => {
    this.#driver.setCharging(command.compartment, command.on).catch((error: unknown) => {
      this.#log.error({ compartment: command.compartment, err: String(error) }, 'could not switch the charger');
    });
  };

  readonly #onSnapshot = (snapshot: PolicySnapshot): void => this.#offline?.acceptSnapshot(snapshot);

  readonly #onLinkChange = (): void => {
    const identity = this.#link.identity;
    if (this.#link.online && identity) {
      this.#offline?.acceptKeys(identity.stationId);
      void this.#offline?.replay();
    }
    this.emit('update', {
      type: 'link',
      online: this.#link.online,
      stationId: identity?.stationId ?? null,
      stationName: identity?.stationName ?? null,
    });
  };

  #record(transaction: TransactionView): void {
    this.#transactions.set(transaction.id, transaction);
    for (const waiter of [...(this.#waiters.get(transaction.id) ?? [])]) {
      if (waiter.accepts(transaction)) waiter.settle(transaction);
    }
    this.emit('update', { type: 'transaction', transaction });
  }

  // ---- sensors → server ----

  readonly #onDoor = (compartment: number, door: DoorState): void => {
    if (door === 'open') this.#offline?.noteDoorOpened(compartment);
    // A door opened offline is the journal's: its events would tell the server a story the replay tells properly.
    if (this.#offline?.ownsDoor(compartment)) {
      if (door === 'closed') this.#offline.onDoorClosed(compartment, this.#presence.get(compartment) ?? false);
      this.emit('update', { type: 'door', compartment, door });
      return;
    }
    if (door === 'open') {
      this.#watchDoor(compartment);
      // A commanded unlock reports its own door_opened with the command id.
      if (!this.#unlocking.has(compartment)) this.#link.sendEvent({ kind: 'door_opened', compartment });
    } else {
      clearTimeout(this.#openDoors.get(compartment));
      this.#openDoors.delete(compartment);
      this.#link.sendEvent({ kind: 'door_closed', compartment, presence: this.#presence.get(compartment) ?? false });
    }
    this.emit('update', { type: 'door', compartment, door });
  };

  readonly #onPresence = (compartment: number, presence: boolean): void => {
    this.#presence.set(compartment, presence);
    if (this.#offline?.ownsDoor(compartment)) return;
    this.#link.sendEvent({ kind: 'presence_changed', compartment, presence });
  };

  readonly #onBattery = (compartment: number, battery: number): void => {
    this.#link.sendEvent({ kind: 'battery', compartment, battery });
  };

  #watchDoor(compartment: number): void {
    if (this.#openDoors.has(compartment)) return;
    const openedAt = Date.now();
    const timer = setTimeout(() => {
      this.#link.sendEvent({ kind: 'door_left_open', compartment, openForMs: Date.now() - openedAt });
    }, this.#doorLeftOpenMs);
    timer.unref();
    this.#openDoors.set(compartment, timer);
  }
}
