import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, type KyselyConfig } from 'kysely';
import pg from 'pg';
import { LazyBeginPostgresDialect } from './lazy-begin.js';
import { namingStatements } from './named-statements.js';
import type { Database, Dialect } from './schema.js';

export interface CubbyDb {
  db: Kysely<Database>;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** `postgres://…` for PostgreSQL; a file path or `sqlite:path` (or `:memory:`) for SQLite. */
  url: string;
  /** PostgreSQL pool size. */
  poolSize?: number;
  /** PostgreSQL schema to use (tests give each run its own). */
  schema?: string;
  /** Kysely's log hook; it sees every statement the driver runs (the kiosk bench counts them with it). */
  log?: KyselyConfig['log'];
}

export function connect(options: ConnectOptions): CubbyDb {
  return isPostgresUrl(options.url) ? connectPostgres(options) : connectSqlite(options);
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

function connectSqlite({ url, log }: ConnectOptions): CubbyDb {
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  const raw = new BetterSqlite3(file);
  raw.pragma('journal_mode = WAL');
  // NORMAL in WAL mode is durable against application crashes; a power cut can
  // lose the last transactions but never corrupts the file.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachingStatements(raw) }), log });
  return {
    db,
    dialect: 'sqlite',
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable,
 * and the kiosk hot path runs the same few dozen statements over and over.
 */
function cachingStatements(raw: BetterSqlite3.Database): BetterSqlite3.Database {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return new Proxy(raw, {
    get(target, prop, receiver) {
      if (prop === 'prepare') {
        return (source: string) => {
          let stmt = cache.get(source);
          if (!stmt) {
            stmt = target.prepare(source);
            if (cache.size > 500) cache.clear();
            cache.set(source, stmt);
          }
          return stmt;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

const int8 = 20;
const numeric = 1700;

function connectPostgres(options: ConnectOptions): CubbyDb {
  // Epoch milliseconds fit a double exactly; read bigint columns as numbers.
  const types = {
    getTypeParser(oid: number, format?: string) {
      if (oid === int8 || oid === numeric) return (value: string) => Number(value);
      return pg.types.getTypeParser(oid, format as 'text');
    },
  };
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize ?? 10,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  const db = new Kysely<Database>({ dialect: new LazyBeginPostgresDialect({ pool: namingStatements(pool) }), log: options.log });
  return {
    db,
    dialect: 'postgres',
    close: () => db.destroy(),
  };
}
