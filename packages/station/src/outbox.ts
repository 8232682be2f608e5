/**
 * Events waiting for the link: kept in order and bounded, because a station may
 * sit offline for a whole school day and must not run out of memory. When full,
 * the oldest go first; the count of dropped ones is reported once.
 */
export class Outbox<T> {
  readonly #limit: number;
  #items: T[] = [];
  #dropped = 0;

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  get size(): number {
    return this.#items.length;
  }

  /** The items waiting, oldest first. */
  values(): readonly T[] {
    return this.#items;
  }

  push(item: T): void {
    this.#items.push(item);
    if (this.#items.length > this.#limit) {
      this.#items.shift();
      this.#dropped += 1;
    }
  }

  /** Hands items over in order while `send` accepts them; what it refuses stays, in order. */
  drain(send: (item: T) => boolean): void {
    let sent = 0;
    while (sent < this.#items.length && send(this.#items[sent]!)) sent += 1;
    this.#items = this.#items.slice(sent);
  }

  /** How many items were dropped since the last call. */
  takeDropped(): number {
    const dropped = this.#dropped;
    this.#dropped = 0;
    return dropped;
  }
}
