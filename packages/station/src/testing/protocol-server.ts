import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { parseStationMessage, protocolVersion, type MessageOf, type ServerMessage, type StationMessage } from '@cubby/protocol';
import { WebSocketServer, type WebSocket } from 'ws';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type OutgoingServerMessage = DistributiveOmit<ServerMessage, 'v' | 'id'>;
export type AuthMessage = MessageOf<StationMessage, 'auth'>;
export type RequestMessage = MessageOf<StationMessage, 'request'>;

export interface ProtocolServerOptions {
  token: string;
  stationId?: string;
  stationName?: string;
  /** The campus time zone the welcome names; none by default (an older server). */
  timeZone?: string;
  /** Answers `auth`; default: badge "1234" signs in as Ana with session "session-1". */
  onAuth?: (message: AuthMessage, server: ProtocolServer) => void;
  /** Answers `request`; default: an ok result and nothing else. */
  onRequest?: (message: RequestMessage, server: ProtocolServer) => void;
  /** When false the server never sends `welcome`. */
  welcome?: boolean;
}

interface Waiter {
  match: (message: StationMessage) => boolean;
  resolve: (message: StationMessage) => void;
}

/**
 * The server side of the station link, small enough to read in a test: it checks
 * the bearer token, validates every station message against the protocol, and
 * plays hello→welcome, ping→pong, auth and request. Tests steer the rest.
 */
export class ProtocolServer {
  readonly received: StationMessage[] = [];
  readonly invalid: string[] = [];
  connections = 0;
  #socket: WebSocket | undefined;
  #waiters: Waiter[] = [];

  private constructor(
    readonly wss: WebSocketServer,
    readonly options: ProtocolServerOptions,
    /** The Authorization header of every connection attempt. */
    readonly authorizations: (string | undefined)[],
  ) {
    wss.on('connection', (socket) => {
      this.connections += 1;
      this.#socket = socket;
      socket.on('message', (data) => this.#receive(socket, String(data)));
    });
  }

  static async start(options: ProtocolServerOptions): Promise<ProtocolServer> {
    const authorizations: (string | undefined)[] = [];
    const wss = new WebSocketServer({
      host: '127.0.0.1',
      port: 0,
      path: '/station/link',
      verifyClient: (info, done) => {
        const authorization = info.req.headers.authorization;
        authorizations.push(authorization);
        if (authorization === `Bearer ${options.token}`) done(true);
        else done(false, 401, 'Unauthorized');
      },
    });
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    return new ProtocolServer(wss, options, authorizations);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.wss.address() as AddressInfo).port}`;
  }

  /** Resolves with the first station message (already received or still to come) that matches. */
  next(match: (message: StationMessage) => boolean, timeoutMs = 5_000): Promise<StationMessage> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a station message')), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      });
    });
  }

  /** Station events of one kind, in the order they arrived. */
  events<K extends string>(kind: K): Extract<MessageOf<StationMessage, 'event'>['event'], { kind: K }>[] {
    return this.received.flatMap((m) => (m.type === 'event' && m.event.kind === kind ? [m.event as never] : []));
  }

  send(message: OutgoingServerMessage): string {
    const id = randomUUID();
    this.#socket?.send(JSON.stringify({ v: protocolVersion, id, ...message }));
    return id;
  }

  sendRaw(text: string): void {
    this.#socket?.send(text);
  }

  answer(re: string, outcome: { data: unknown } | { error: { code: string; title: string; detail?: string } }): void {
    if ('data' in outcome) this.send({ type: 'result', re, ok: true, data: outcome.data });
    else this.send({ type: 'result', re, ok: false, error: outcome.error });
  }

  /** Kills the current connection the way a dropped network would. */
  dropConnection(): void {
    this.#socket?.terminate();
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  #receive(socket: WebSocket, raw: string): void {
    const parsed = parseStationMessage(raw);
    if (!parsed.ok) {
      this.invalid.push(parsed.error);
      return;
    }
    const message = parsed.message;
    this.received.push(message);
    this.#waiters = this.#waiters.filter((w) => (w.match(message) ? (w.resolve(message), false) : true));
    if (socket !== this.#socket) return;
    switch (message.type) {
      case 'hello':
        if (this.options.welcome === false) return;
        this.send({
          type: 'welcome',
          stationId: this.options.stationId ?? 'station-1',
          stationName: this.options.stationName ?? 'Library bank A',
          serverTime: Date.now(),
          ...(this.options.timeZone ? { timeZone: this.options.timeZone } : {}),
        });
        return;
      case 'ping':
        this.send({ type: 'pong', re: message.id });
        return;
      case 'auth':
        if (this.options.onAuth) return this.options.onAuth(message, this);
        if ('badge' in message.credential && message.credential.badge === '1234') {
          this.answer(message.id, { data: { session: 'session-1', person: { givenName: 'Ana' } } });
        } else {
          this.answer(message.id, { error: { code: 'unknown_credential', title: 'Badge or student number not recognised' } });
        }
        return;
      case 'request':
        if (this.options.onRequest) return this.options.onRequest(message, this);
        this.answer(message.id, { data: {} });
        return;
      default:
        return;
    }
  }
}
