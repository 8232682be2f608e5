import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';

/**
 * A bare station for server tests: speaks the wire protocol directly, so tests
 * can send malformed, replayed or foreign messages a real agent never would.
 */
export class StationDouble {
  readonly received: Record<string, unknown>[] = [];
  #waiters: { match: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      this.received.push(message);
      this.#waiters = this.#waiters.filter((w) => (w.match(message) ? (w.resolve(message), false) : true));
    });
  }

  static async connect(serverUrl: string, token: string): Promise<StationDouble> {
    const socket = new WebSocket(`${serverUrl.replace(/^http/, 'ws')}/station/link`, { headers: { authorization: `Bearer ${token}` } });
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
      const timer = setTimeout(() => reject(new Error('timed out waiting for a server message')), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          this.received.splice(this.received.indexOf(m), 1);
          resolve(m);
        },
      });
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

  close(): void {
    this.socket.close();
  }
}
