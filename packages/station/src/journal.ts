import Database from 'better-sqlite3';
import type { JournalEntry, KioskAction, PolicySnapshotMessage } from '@cubby/protocol';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir, OfflineKeyFile } from './key-file.js';

/** The keys `welcome` delivered, kept so a station restarted during an outage can still work. */
export interface OfflineKeys {
  stationId: string;
  snapshotKey: string;
  badgeKey: string;
}

/** A transaction the station is doing, or did, on its own. `closedAt` is null while its door is open. */
export interface JournalRecord extends JournalEntry {
  closedAt: number | null;
}

export interface NewJournalRecord {
  key: string;
  at: number;
  credentialHash: string;
  personId: string;
  action: KioskAction;
  compartment: number;
  deviceId?: string;
  snapshotId?: string;
}

interface Row {
  seq: number;
  key: string;
  at: number;
  credential_hash: string;
  person_id: string;
  action: string;
  compartment: number;
  device_id: string | null;
  snapshot_id: string | null;
  outcome: 'completed' | 'failed' | null;
  presence_after: number | null;
  closed_at: number | null;
}

/**
 * The station's offline journal: one SQLite file on the kiosk PC. Every
 * write is fsync'd before it returns (`synchronous = FULL`), and the agent
 * writes an entry before it opens the door, so a power cut after the door
 * opened never loses the transaction. Entries leave only once the server
 * has answered for them. The file (and SQLite's -wal and -shm beside it) is
 * mode 0600 in a folder the station makes 0700; the offline keys live in
 * a separate file (`keysPath`, default `<path>.keys`).
 */
export class OfflineJournal {
  readonly #db: Database.Database;
  readonly #keys: OfflineKeyFile;

  constructor(
    readonly path: string,
    options: { keysPath?: string } = {},
  ) {
    ensurePrivateDir(dirname(path));
    // Made 0600 before SQLite opens it: SQLite gives its -wal and -shm files the database file's mode.
    if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
    this.#keys = new OfflineKeyFile(options.keysPath ?? `${path}.keys`);
    this.#db = new Database(path);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec(`
      create table if not exists entries (
        seq integer primary key autoincrement, key text not null unique, at integer not null,
        credential_hash text not null, person_id text not null, action text not null, compartment integer not null,
        device_id text, outcome text, presence_after integer, closed_at integer);
      create table if not exists rejected_entries (key text primary key, entry text not null, reason text not null, at integer not null);
      create table if not exists offline_state (name text primary key, value text not null);
    `);
    const columns = this.#db.prepare('select name from pragma_table_info(?)').all('entries') as { name: string }[];
    if (!columns.some((c) => c.name === 'snapshot_id')) this.#db.exec('alter table entries add column snapshot_id text');
    this.#moveKeysOut();
  }

  /** A journal written by an older agent kept the keys inside it: they move to their own file. */
  #moveKeysOut(): void {
    const old = this.#get<OfflineKeys>('keys');
    if (!old) return;
    if (!this.#keys.load()) this.#keys.save(old);
    this.#db.prepare("delete from offline_state where name = 'keys'").run();
  }

  /** The highest sequence ever given out (entries settled and deleted since included): never goes back. */
  highestSeq(): number {
    const row = this.#db.prepare("select seq from sqlite_sequence where name = 'entries'").get() as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  /** Writes the entry (durably) and returns its sequence number. */
  open(record: NewJournalRecord): number {
    const result = this.#db
      .prepare(
        `insert into entries (key, at, credential_hash, person_id, action, compartment, device_id, snapshot_id)
         values (@key, @at, @credentialHash, @personId, @action, @compartment, @deviceId, @snapshotId)`,
      )
      .run({
        ...record,
        action: JSON.stringify(record.action),
        deviceId: record.deviceId ?? null,
        snapshotId: record.snapshotId ?? null,
      });
    return Number(result.lastInsertRowid);
  }

  /** The door closed (or never opened): what the presence sensor said decides what happened. */
  finish(seq: number, outcome: 'completed' | 'failed', presenceAfter: boolean, now = Date.now()): void {
    this.#db
      .prepare('update entries set outcome = ?, presence_after = ?, closed_at = ? where seq = ? and closed_at is null')
      .run(outcome, presenceAfter ? 1 : 0, now, seq);
  }

  /** Every entry still held, oldest first. */
  entries(): JournalRecord[] {
    return (this.#db.prepare('select * from entries order by seq').all() as Row[]).map(toRecord);
  }

  /** Closed entries ready to replay, in order. */
  replayable(limit: number): JournalEntry[] {
    return (this.#db.prepare('select * from entries where closed_at is not null order by seq limit ?').all(limit) as Row[])
      .map(toRecord)
      .map(({ closedAt: _closedAt, ...entry }) => entry);
  }

  /**
   * The server answered: applied entries leave; rejected ones are kept aside
   * for a technician. Loaners lent under the snapshot still in use are
   * counted on (`lentUnderSnapshot`): the server holds the snapshot's limits
   * across every borrow replayed under it, and so must the station.
   */
  settle(applied: readonly string[], rejected: readonly { key: string; reason: string }[], now = Date.now()): void {
    const remove = this.#db.prepare('delete from entries where key = ?');
    const find = this.#db.prepare('select * from entries where key = ?');
    const setAside = this.#db.prepare(
      `insert or replace into rejected_entries (key, entry, reason, at) select key, json_object('seq', seq, 'action', action, 'compartment', compartment), ?, ? from entries where key = ?`,
    );
    this.#db.transaction(() => {
      const current = this.snapshot()?.snapshotId;
      const lent = this.lentUnderSnapshot();
      for (const key of applied) {
        const row = find.get(key) as Row | undefined;
        if (row && current && row.snapshot_id === current && lentALoaner(row)) {
          lent.total += 1;
          lent.byPerson[row.person_id] = (lent.byPerson[row.person_id] ?? 0) + 1;
        }
        remove.run(key);
      }
      this.#put('lent', { snapshotId: current, ...lent });
      for (const r of rejected) {
        setAside.run(r.reason, now, r.key);
        remove.run(r.key);
      }
    })();
  }

  /** Loaners lent under the current snapshot whose entries the server has already applied. */
  lentUnderSnapshot(): { total: number; byPerson: Record<string, number> } {
    const lent = this.#get<{ snapshotId?: string; total: number; byPerson: Record<string, number> }>('lent');
    const current = this.snapshot()?.snapshotId;
    return lent && current && lent.snapshotId === current
      ? { total: lent.total, byPerson: lent.byPerson }
      : { total: 0, byPerson: {} };
  }

  rejectedCount(): number {
    return (this.#db.prepare('select count(*) as n from rejected_entries').get() as { n: number }).n;
  }

  saveKeys(keys: OfflineKeys): void {
    this.#keys.save(keys);
  }

  keys(): OfflineKeys | undefined {
    return this.#keys.load();
  }

  /** The latest verified snapshot; the caller checks the signature before saving. */
  saveSnapshot(snapshot: PolicySnapshotMessage): void {
    this.#db.transaction(() => {
      this.#put('snapshot', snapshot);
      this.#put('touched', []);
    })();
  }

  snapshot(): PolicySnapshotMessage | undefined {
    return this.#get<PolicySnapshotMessage>('snapshot');
  }

  /**
   * Doors opened since the latest snapshot arrived. Kept on disk, so a
   * station restarted mid-outage does not trust the snapshot for them either.
   */
  touchedSinceSnapshot(): Set<number> {
    return new Set(this.#get<number[]>('touched') ?? []);
  }

  noteDoorOpened(compartment: number): void {
    const touched = this.touchedSinceSnapshot();
    if (touched.has(compartment)) return;
    this.#put('touched', [...touched, compartment]);
  }

  close(): void {
    this.#db.close();
  }

  #put(name: string, value: unknown): void {
    this.#db.prepare('insert or replace into offline_state (name, value) values (?, ?)').run(name, JSON.stringify(value));
  }

  #get<T>(name: string): T | undefined {
    const row = this.#db.prepare('select value from offline_state where name = ?').get(name) as { value: string } | undefined;
    return row ? (JSON.parse(row.value) as T) : undefined;
  }
}

const lentALoaner = (row: Row) =>
  row.outcome === 'completed' && row.presence_after === 0 && (JSON.parse(row.action) as KioskAction).kind === 'borrow';

function toRecord(row: Row): JournalRecord {
  return {
    key: row.key,
    seq: row.seq,
    at: row.at,
    credentialHash: row.credential_hash,
    personId: row.person_id,
    action: JSON.parse(row.action) as KioskAction,
    compartment: row.compartment,
    ...(row.device_id ? { deviceId: row.device_id } : {}),
    ...(row.snapshot_id ? { snapshotId: row.snapshot_id } : {}),
    outcome: row.outcome ?? 'failed',
    presenceAfter: row.presence_after === 1,
    closedAt: row.closed_at,
  };
}
