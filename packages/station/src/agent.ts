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
import { Doors, type UnlockedDoor } from './doors.js';
import type { LockDriver } from './drivers/driver.js';
import type { OfflineJournal } from './journal.js';
import type { PolicySnapshot, SetChargingCommand, StationLink, TransactionUpdate, UnlockCommand } from './link.js';
import type { OfflineSession } from './offline-desk.js';
import { OfflineMode } from './offline-mode.js';
import { silentLogger, type Logger } from './logger.js';
import { StationRequestError, isStationRequestError } from './request-error.js';
import { TransactionBook } from './transaction-book.js';
import { TypedEmitter } from './typed-emitter.js';

export type { UnlockedDoor };

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
  readonly #requestTimeoutMs: number;
  readonly #transactions: TransactionBook;
  readonly #doors: Doors;
  readonly #offline: OfflineMode | undefined;
  #session: string | undefined;
  #offlineSession: OfflineSession | undefined;

  constructor(options: StationAgentOptions) {
    super();
    const { driver } = options;
    const log = options.logger ?? silentLogger;
    this.#driver = driver;
    this.#log = log;
    this.#link = options.link;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#transactions = new TransactionBook(options.rememberedTransactions ?? 500);
    // Tests and tools may follow 'update' many times over.
    this.setMaxListeners(100);
    this.#offline = options.journal && this.#offlineMode(options.journal, driver, log);
    this.#doors = new Doors({
      driver,
      link: this.#link,
      log,
      offline: this.#offline,
      doorLeftOpenMs: options.doorLeftOpenMs ?? 60_000,
      rememberedCommands: options.rememberedCommands ?? 2_000,
      onUnlocked: (door) => this.emit('unlocked', door),
      onDoor: (compartment, door) => this.emit('update', { type: 'door', compartment, door }),
    });
    this.#link
      .on('unlock', this.#onUnlock)
      .on('transaction', this.#onTransaction)
      .on('set_charging', this.#onSetCharging)
      .on('online', this.#onLinkChange)
      .on('offline', this.#onLinkChange)
      .on('policy_snapshot', this.#onSnapshot);
  }

  #offlineMode(journal: OfflineJournal, driver: LockDriver, log: Logger): OfflineMode {
    const offline = new OfflineMode({
      journal,
      link: this.#link,
      driver,
      log,
      record: (t) => this.#record(t),
      requestTimeoutMs: this.#requestTimeoutMs,
    });
    // The replay tells the server what happened at these doors; their readings would jump ahead of it.
    this.#link.withholdFromHello(() => journal.entries().map((e) => e.compartment));
    this.#link.reportJournalSeq(() => journal.highestSeq());
    return offline;
  }

  /** Learns what the sensors read now, so doors already open are watched too. */
  async start(): Promise<void> {
    await this.#doors.start();
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

  async #signInOffline(credential: Credential): Promise<SignInResult> {
    const { session, result } = await this.#offline!.signIn(credential);
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

  /** Ends the kiosk session here, and on the server at once when the link is up (a sign-in ends it there anyway). */
  signOut(): void {
    if (this.#session === undefined && this.#offlineSession === undefined) return;
    const session = this.#session;
    if (session !== undefined && this.#link.online) {
      this.#link.request({ type: 'sign_out', session }, this.#requestTimeoutMs).catch((error: unknown) => {
        this.#log.warn({ err: String(error) }, 'the server did not hear the sign-out; the session ends with the next sign-in');
      });
    }
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
    return this.#transactions.waitFor(id, accepts, timeoutMs);
  }

  async status(): Promise<StationStatus> {
    const identity = this.#link.identity;
    return {
      stationId: identity?.stationId ?? null,
      stationName: identity?.stationName ?? null,
      ...(identity?.timeZone ? { timeZone: identity.timeZone } : {}),
      online: this.#link.online,
      offlineReady: this.#offline?.isReady ?? false,
      signedIn: this.signedIn,
      compartments: await this.#driver.readings(),
    };
  }

  /** Lets go of the driver and the link (it does not close them) and of every timer. */
  async close(): Promise<void> {
    this.#doors.close();
    this.#link
      .off('unlock', this.#onUnlock)
      .off('transaction', this.#onTransaction)
      .off('set_charging', this.#onSetCharging)
      .off('online', this.#onLinkChange)
      .off('offline', this.#onLinkChange)
      .off('policy_snapshot', this.#onSnapshot);
    this.#transactions.rejectAll(StationRequestError.of('offline', 'the station agent is shutting down'));
  }

  // ---- server → station ----

  readonly #onUnlock = (command: UnlockCommand): void => {
    this.#doors.unlock(command).catch((error: unknown) => this.#log.error({ err: String(error) }, 'unlock handling failed'));
  };

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
      ...(identity?.timeZone ? { timeZone: identity.timeZone } : {}),
    });
  };

  #record(transaction: TransactionView): void {
    this.#transactions.record(transaction);
    this.emit('update', { type: 'transaction', transaction });
  }
}
