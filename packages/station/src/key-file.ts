import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { OfflineKeys } from './journal.js';

/**
 * The offline keys `welcome` delivered, in a file of their own (mode 0600),
 * not in the journal beside the snapshot they open: a copy of the journal
 * alone (a backup, a support bundle) gives up no badge. They are on disk at
 * all so a kiosk rebooted during an outage can still serve; docs/security.md
 * says what a thief with the whole disk can do with them.
 */
export class OfflineKeyFile {
  #cached: OfflineKeys | undefined;

  constructor(readonly path: string) {}

  save(keys: OfflineKeys): void {
    ensurePrivateDir(dirname(this.path));
    const next = `${this.path}.next`;
    // Written whole and renamed over the old file: a power cut leaves one or the other.
    writeFileSync(next, JSON.stringify(keys), { mode: 0o600 });
    chmodSync(next, 0o600);
    renameSync(next, this.path);
    this.#cached = keys;
  }

  load(): OfflineKeys | undefined {
    if (this.#cached) return this.#cached;
    if (!existsSync(this.path)) return undefined;
    try {
      return (this.#cached = JSON.parse(readFileSync(this.path, 'utf8')) as OfflineKeys);
    } catch {
      return undefined; // unreadable: the next welcome writes it again
    }
  }
}

/** The station's data folder: made readable by its own user only, if the station makes it. */
export function ensurePrivateDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
}
