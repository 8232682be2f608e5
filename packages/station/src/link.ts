import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import {
  parseServerMessage,
  protocolVersion,
  type CompartmentReading,
  type ServerMessage,
  type StationEventBody,
  type StationMessage,
} from '@cubby/protocol';
import { assertNever } from '@cubby/core';
import { backoffDelay } from './backoff.js';
import { helloMessage } from './hello.js';
import { Keepalive } from './keepalive.js';
import type { EventMessage, LinkRequest, ServerNotice, StationIdentity, StationLinkEvents } from './link-messages.js';
import { linkUrl } from './link-url.js';
import { silentLogger, type Logger } from './logger.js';
import { Outbox } from './outbox.js';
import { PendingReplies } from './pending-replies.js';
import { StationRequestError } from './request-error.js';
import { TypedEmitter } from './typed-emitter.js';

export type {
  LinkRequest,
  PolicySnapshot,
  ServerNotice,
  SetChargingCommand,
  StationIdentity,
  StationLinkEvents,
  TransactionUpdate,
  UnlockCommand,
} from './link-messages.js';

export interface StationLinkOptions {
  /** The server's base URL, http(s):// or ws(s)://. */
  serverUrl: string;
  /** The station's credential; sent only in the Authorization header, never logged. */
  token: string;
  /** Current sensor readings, sent in each `hello`. */
  readings: () => Promise<CompartmentReading[]>;
  stationId?: string;
  agentVersion?: string;
  logger?: Logger;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long to wait for `welcome` after `hello` before dropping the socket. Default 10 s. */
  welcomeTimeoutMs?: number;
  /** WebSocket ping interval to notice a dead network path; 0 turns it off. Default 20 s. */
  keepaliveMs?: number;
  /** Events kept while offline; the oldest are dropped beyond this. Default 10,000. */
  outboxLimit?: number;
}

/** The station's one outbound WebSocket to the server, kept up for as long as the agent runs. */
export class StationLink extends TypedEmitter<StationLinkEvents> {
  readonly #url: URL;
  readonly #options: StationLinkOptions;
  readonly #log: Logger;
  readonly #outbox: Outbox<EventMessage>;
  readonly #pending = new PendingReplies<ServerMessage>();
  #socket: WebSocket | undefined;
  #identity: StationIdentity | undefined;
  #offlineKeys: { snapshotKey: string; badgeKey: string } | undefined;
  #online = false;
  #stopped = false;
  #attempt = 0;
  #reconnectTimer: NodeJS.Timeout | undefined;
  #welcomeTimer: NodeJS.Timeout | undefined;
  readonly #keepalive: Keepalive;
  #untold: () => Iterable<number> = () => [];
  #journalSeq: (() => number) | undefined;

  constructor(options: StationLinkOptions) {
    super();
    this.#url = linkUrl(options.serverUrl);
    this.#options = options;
    this.#log = options.logger ?? silentLogger;
    this.#outbox = new Outbox(options.outboxLimit ?? 10_000);
    this.#keepalive = new Keepalive(options.keepaliveMs ?? 20_000, this.#log);
  }

  get online(): boolean {
    return this.#online;
  }

  /** Who the server says this station is, from the latest `welcome`. */
  get identity(): StationIdentity | undefined {
    return this.#identity;
  }

  /** Offline mode's keys from the latest `welcome`, when the server sent them. */
  get offlineKeys(): { snapshotKey: string; badgeKey: string } | undefined {
    return this.#offlineKeys;
  }

  /** Events waiting for the link to come back. */
  get outboxSize(): number {
    return this.#outbox.size;
  }

  /**
   * Doors whose story since the last link is still to be told another way (the
   * offline journal's entries): `hello` leaves their readings out, as it does
   * for doors with events still in the outbox. A reading is only the end of a
   * story; the server must hear the events and the journal, in order, before
   * it judges a step at that door by how the door looks now.
   */
  withholdFromHello(doors: () => Iterable<number>): void {
    this.#untold = doors;
  }

  /**
   * The offline journal's highest sequence, sent in each `hello`: with what the
   * server has applied, it is the station's backlog on the dashboard.
   */
  reportJournalSeq(seq: () => number): void {
    this.#journalSeq = seq;
  }

  start(): void {
    if (this.#stopped || this.#socket || this.#reconnectTimer) return;
    this.#connect();
  }

  /** Sends a request and resolves with the `data` of its ok `result`; rejects with StationRequestError. */
  async request<T = unknown>(message: LinkRequest, timeoutMs = 10_000): Promise<T> {
    const reply = await this.#exchange({ ...message, v: protocolVersion, id: randomUUID() } as StationMessage, timeoutMs);
    if (reply.type !== 'result') throw StationRequestError.of('bad_response', `expected a result, got ${reply.type}`);
    if (!reply.ok)
      throw new StationRequestError(reply.error ?? { code: 'bad_response', title: 'The server refused without saying why' });
    return reply.data as T;
  }

  /** Sends an event now, or keeps it (in order, bounded) until the next `welcome`. */
  sendEvent(event: StationEventBody): void {
    const message: EventMessage = { v: protocolVersion, id: randomUUID(), type: 'event', event, at: Date.now() };
    this.#outbox.push(message);
    if (this.#online) this.#outbox.drain((m) => this.#send(m));
  }

  /** Round-trip time to the server in milliseconds. */
  async ping(timeoutMs = 5_000): Promise<number> {
    const started = performance.now();
    await this.#exchange({ v: protocolVersion, id: randomUUID(), type: 'ping' }, timeoutMs);
    return performance.now() - started;
  }

  async close(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = undefined;
    const socket = this.#socket;
    if (!socket) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    if (socket.readyState === WebSocket.OPEN) socket.close(1000, 'station shutting down');
    else socket.terminate();
    const forced = setTimeout(() => socket.terminate(), 1_000);
    await closed;
    clearTimeout(forced);
  }

  // ---- connection ----

  #connect(): void {
    this.#reconnectTimer = undefined;
    const socket = new WebSocket(this.#url, {
      headers: { authorization: `Bearer ${this.#options.token}` },
      handshakeTimeout: 10_000,
      // A policy snapshot lists every eligible badge of the site: thousands of lines.
      maxPayload: 16 * 1024 * 1024,
    });
    this.#socket = socket;
    socket.on('open', () => void this.#sayHello(socket));
    socket.on('message', (data) => {
      if (socket === this.#socket) this.#receive(String(data));
    });
    socket.on('error', (error) => {
      const log = this.#attempt === 0 ? this.#log.warn : this.#log.debug;
      log.call(this.#log, { err: error.message, url: this.#safeUrl() }, 'station link error');
    });
    socket.on('close', (code, reason) => this.#onClose(socket, code, String(reason)));
  }

  async #sayHello(socket: WebSocket): Promise<void> {
    let compartments: CompartmentReading[] = [];
    try {
      compartments = await this.#options.readings();
    } catch (error) {
      this.#log.error({ err: String(error) }, 'could not read the compartments for hello');
    }
    if (socket !== this.#socket || socket.readyState !== WebSocket.OPEN) return;
    const withheld = [...this.#untold(), ...this.#outbox.values().map((m) => m.event.compartment)];
    const { stationId, agentVersion } = this.#options;
    this.#send(helloMessage(compartments, withheld, { stationId, agentVersion, journalSeq: this.#journalSeq?.() }));
    this.#welcomeTimer = setTimeout(() => {
      this.#log.warn('the server did not welcome the station; reconnecting');
      socket.terminate();
    }, this.#options.welcomeTimeoutMs ?? 10_000);
  }

  #onWelcome(identity: StationIdentity): void {
    clearTimeout(this.#welcomeTimer);
    const wasOnline = this.#online;
    this.#identity = identity;
    this.#online = true;
    this.#attempt = 0;
    this.#keepalive.start(this.#socket!);
    this.#log.info({ stationId: identity.stationId, url: this.#safeUrl() }, 'station link online');
    const dropped = this.#outbox.takeDropped();
    if (dropped > 0) this.#log.warn({ dropped }, 'the outbox overflowed while offline; the oldest events were dropped');
    this.#outbox.drain((m) => this.#send(m));
    if (!wasOnline) this.emit('online', identity);
  }

  #onClose(socket: WebSocket, code: number, reason: string): void {
    if (socket !== this.#socket) return;
    this.#socket = undefined;
    clearTimeout(this.#welcomeTimer);
    this.#keepalive.stop();
    const wasOnline = this.#online;
    this.#online = false;
    this.#pending.rejectAll(StationRequestError.of('offline', 'the link dropped before the server answered'));
    if (wasOnline) {
      if (this.#stopped) this.#log.info('station link closed');
      else this.#log.warn({ code, reason }, 'station link offline');
      this.emit('offline');
    }
    if (this.#stopped) return;
    const delay = backoffDelay(this.#attempt++, {
      minMs: this.#options.minBackoffMs ?? 100,
      maxMs: this.#options.maxBackoffMs ?? 10_000,
    });
    this.#reconnectTimer = setTimeout(() => this.#connect(), delay);
  }

  // ---- messages ----

  #receive(raw: string): void {
    const parsed = parseServerMessage(raw);
    if (!parsed.ok) {
      this.#log.warn({ error: parsed.error, id: parsed.id }, 'dropped an invalid message from the server');
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'welcome':
        this.#offlineKeys = message.offline;
        return this.#onWelcome({
          stationId: message.stationId,
          stationName: message.stationName,
          ...(message.timeZone ? { timeZone: message.timeZone } : {}),
        });
      case 'result':
      case 'pong':
        return this.#settle(message.re, message);
      case 'message':
        this.#onNotice(message);
        return void this.emit('message', message);
      case 'unlock':
        return void this.emit('unlock', message);
      case 'transaction':
        return void this.emit('transaction', message);
      case 'set_charging':
        return void this.emit('set_charging', message);
      case 'policy_snapshot':
        return void this.emit('policy_snapshot', message);
      default:
        return assertNever(message);
    }
  }

  /** A notice that refers to a pending request with an error ends that request. */
  #onNotice(notice: ServerNotice): void {
    const log = notice.level === 'info' ? this.#log.info : this.#log.warn;
    log.call(this.#log, { re: notice.re, code: notice.error?.code }, `server: ${notice.text}`);
    if (notice.level !== 'error' || notice.re === undefined) return;
    this.#pending.reject(notice.re, new StationRequestError(notice.error ?? { code: 'bad_request', title: notice.text }));
  }

  #settle(re: string, reply: ServerMessage): void {
    if (!this.#pending.resolve(re, reply)) this.#log.debug({ re }, 'an answer nobody waits for any more');
  }

  #exchange(message: StationMessage, timeoutMs: number): Promise<ServerMessage> {
    if (!this.#online || !this.#send(message)) return Promise.reject(StationRequestError.of('offline'));
    return this.#pending.wait(message.id, timeoutMs, message.type);
  }

  #send(message: StationMessage): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  /** The URL without credentials, fit for logs. */
  #safeUrl(): string {
    return `${this.#url.origin}${this.#url.pathname}`;
  }
}
