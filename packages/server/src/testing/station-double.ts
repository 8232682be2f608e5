import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

/**
 * A bare station for server tests: speaks the wire protocol directly, so tests
 * can send malformed, replayed or foreign messages a real agent never would.
 */
export class StationDouble {
  readonly received: Record<string, unknown>[] = [];
  #closeCode: Promise<number>;
  #waiters: { match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    this.#closeCode = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      // Each message goes to one waiter at most; unclaimed ones wait in `received`.
      const waiter = this.#waiters.find((w) => w.match(message));
      if (!waiter) {
        this.received.push(message);
        return;
      }
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    });
  }

  /**
   * Tries to open a link and expects the server to refuse the upgrade: returns
   * the HTTP answer it gave instead.
   */
  static async refusal(
    serverUrl: string,
    token?: string,
  ): Promise<{ status: number; contentType: string; body: Record<string, unknown> }> {
    const headers = token === undefined ? {} : { authorization: `Bearer ${token}` };
    const socket = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/station/link`, { headers });
    return new Promise((resolve, reject) => {
      socket.once('open', () => {
        socket.close();
        reject(new Error('the server accepted the link'));
      });
      socket.once('unexpected-response', (_req, res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          socket.terminate();
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: JSON.parse(text) as Record<string, unknown>,
          });
        });
      });
      socket.once('error', () => {});
    });
  }

  static async connect(serverUrl: string, token: string): Promise<StationDouble> {
    const socket = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/station/link`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new StationDouble(socket);
  }

  send(message: Record<string, unknown>): string {
    const id = (message.id as string | undefined) ?? randomUUID();
    this.socket.send(JSON.stringify({ v: 1, id, ...message }));
    return id;
  }

  sendRaw(text: string): void {
    this.socket.send(text);
  }

  next(match: (m: Record<string, unknown>) => boolean, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const seen = this.received.find(match);
    if (seen) {
      this.received.splice(this.received.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve, reject) => {
      const waiter = {
        match,
        resolve: (m: Record<string, unknown>) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(new Error('timed out waiting for a server message'));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  async request(message: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.send(message);
    return this.next((m) => m.type === 'result' && m.re === id);
  }

  async hello(compartments: { number: number; door: 'open' | 'closed'; presence: boolean; charging: boolean }[] = []) {
    this.send({ type: 'hello', agentVersion: 'test', compartments });
    return this.next((m) => m.type === 'welcome');
  }

  /** A ping answered means every message sent before it has been handled. */
  async ping(): Promise<void> {
    const id = this.send({ type: 'ping' });
    await this.next((m) => m.type === 'pong' && m.re === id);
  }

  /** The error notice the server sent about one of our messages. */
  notice(re: string | undefined): Promise<Record<string, unknown> & { error: { code: string; title: string } }> {
    return this.next((m) => m.type === 'message' && m.re === re) as Promise<
      Record<string, unknown> & { error: { code: string; title: string } }
    >;
  }

  /** Plays a door the server unlocked: opened, then closed with the given presence reading. */
  openAndClose(unlock: Record<string, unknown>, presence: boolean): void {
    const compartment = unlock.compartment as number;
    this.send({ type: 'event', at: Date.now(), event: { kind: 'door_opened', compartment, commandId: unlock.commandId } });
    this.send({ type: 'event', at: Date.now(), event: { kind: 'door_closed', compartment, presence } });
  }

  /** Resolves with the close code once the socket is closed (by either side). */
  closed(): Promise<number> {
    return this.#closeCode;
  }

  close(): void {
    this.socket.close();
  }
}
