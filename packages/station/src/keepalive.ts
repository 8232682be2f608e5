import type WebSocket from 'ws';
import type { Logger } from './logger.js';

/**
 * WebSocket pings to notice a dead network path: a socket that did not answer
 * the previous ping by the next one is terminated, so the link reconnects
 * instead of waiting for TCP to give up (minutes, on a school network).
 */
export class Keepalive {
  readonly #everyMs: number;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #alive = true;

  /** `everyMs` 0 turns the pings off. */
  constructor(everyMs: number, log: Logger) {
    this.#everyMs = everyMs;
    this.#log = log;
  }

  /** Follows this socket from now on (and stops following any other). */
  start(socket: WebSocket): void {
    this.stop();
    if (this.#everyMs <= 0) return;
    this.#alive = true;
    socket.on('pong', () => {
      this.#alive = true;
    });
    this.#timer = setInterval(() => {
      if (!this.#alive) {
        this.#log.warn('the server stopped answering pings; reconnecting');
        socket.terminate();
        return;
      }
      this.#alive = false;
      socket.ping();
    }, this.#everyMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
