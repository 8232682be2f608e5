import { STX, frameProblem } from './frames.js';

export type ReaderOutput =
  | { kind: 'frame'; bytes: Uint8Array }
  /** Bytes thrown away while looking for the next good frame, with the first reason seen. */
  | { kind: 'discarded'; bytes: Uint8Array; reason: string };

/**
 * Cuts a serial byte stream into frames of one fixed length. A serial read may hold half a
 * frame or several, and lock/sensor bits can equal STX or ETX, so a frame is only taken
 * where an STX is followed, at the right distance, by ETX and a matching checksum; anything
 * else is dropped one byte at a time until the stream lines up again.
 */
export class FrameReader {
  readonly #length: number;
  #buffer: Uint8Array = new Uint8Array(0);

  constructor(frameLength: number) {
    this.#length = frameLength;
  }

  push(chunk: Uint8Array): ReaderOutput[] {
    const buffer = concat(this.#buffer, chunk);
    const out: ReaderOutput[] = [];
    let junkStart = 0;
    let junkReason: string | undefined;
    const flushJunk = (end: number): void => {
      if (end > junkStart) out.push({ kind: 'discarded', bytes: buffer.slice(junkStart, end), reason: junkReason ?? 'no STX' });
      junkReason = undefined;
    };
    let at = 0;
    for (;;) {
      while (at < buffer.length && buffer[at] !== STX) at++;
      if (buffer.length - at < this.#length) break;
      const candidate = buffer.subarray(at, at + this.#length);
      const problem = frameProblem(candidate);
      if (problem) {
        junkReason ??= problem;
        at++;
        continue;
      }
      flushJunk(at);
      out.push({ kind: 'frame', bytes: candidate.slice() });
      at += this.#length;
      junkStart = at;
    }
    // What is left from the last STX on may be the start of a frame still arriving.
    flushJunk(at);
    this.#buffer = buffer.slice(at);
    return out;
  }

  /** Forgets a partial frame (before a new request, so a stale half answer cannot join the next). */
  reset(): void {
    this.#buffer = new Uint8Array(0);
  }
}

/** Always a fresh plain Uint8Array: a Node Buffer's slice() would be a view into the port's memory. */
function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}
