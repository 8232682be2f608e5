import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { Executor } from './transaction.js';

interface Unit {
  work: (db: Executor) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for SQLite. Every unit of work still runs alone and atomically
 * (in its own savepoint, rolled back alone on error), but the units that queue
 * up while one batch runs share the next COMMIT. A unit's promise settles only
 * after the commit that made it durable, so nothing is acknowledged early.
 * Writes on SQLite are serial anyway; what this saves is the per-commit WAL
 * write, the largest cost of a kiosk step on a slow disk.
 */
export class GroupCommitter {
  readonly #queue: Unit[] = [];
  #running = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 128,
  ) {}

  run<T>(work: (db: Executor) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#running) {
        this.#running = true;
        // Start after the current I/O phase, so every message that arrived in
        // it has queued its unit and they all share one commit.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    try {
      while (this.#queue.length > 0) {
        // The connection (and Kysely's lock on it) is held for the whole batch,
        // so plain reads elsewhere never see a batch before it commits.
        await this.db.connection().execute((conn) => this.#batch(conn));
      }
    } catch (error) {
      // No connection (e.g. the database was closed): nothing queued can run.
      for (const unit of this.#queue.splice(0)) unit.reject(error);
    } finally {
      this.#running = false;
    }
  }

  async #batch(conn: Executor): Promise<void> {
    const done: { unit: Unit; value: unknown }[] = [];
    try {
      await sql`begin immediate`.execute(conn);
    } catch (error) {
      for (const unit of this.#queue.splice(0, this.maxBatch)) unit.reject(error);
      return;
    }
    while (this.#queue.length > 0 && done.length < this.maxBatch) {
      const unit = this.#queue.shift()!;
      await sql`savepoint unit`.execute(conn);
      try {
        const value = await unit.work(conn);
        await sql`release unit`.execute(conn);
        done.push({ unit, value });
      } catch (error) {
        await sql`rollback to unit`.execute(conn);
        await sql`release unit`.execute(conn);
        unit.reject(error);
      }
    }
    try {
      await sql`commit`.execute(conn);
    } catch (error) {
      await sql`rollback`.execute(conn).catch(() => {});
      for (const d of done) d.unit.reject(error);
      return;
    }
    for (const d of done) d.unit.resolve(d.value);
  }
}
