/**
 * Seeds a large district into SQLite or PostgreSQL, fast, and keeps it: the
 * seeded SQLite file or PostgreSQL data directory is cached under
 * os.tmpdir()/cubby-dashbench, keyed by scale and a hash of the generator,
 * the writer's format number and the migrations, so a rerun starts at once.
 *
 *   npx tsx bench/src/dashboard-seed.ts sqlite 0.01 [--verify]   (seed only, prints the time)
 *
 * Speed: the schema comes from the real migrations; then the big tables lose
 * their secondary indexes, rows go in as multi-row INSERTs (SQLite: one
 * transaction, synchronous=OFF, journal in memory; PostgreSQL: unnest() arrays of
 * 5,000 rows, two statements in flight, triggers off, fsync off) and the
 * indexes are rebuilt once at the end. Only the seeding runs like that: the
 * benchmark opens the result with the product's own settings.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CompiledQuery, sql } from 'kysely';
import {
  chainHash,
  connect,
  migrateToLatest,
  parseJson,
  verifyAuditChain,
  type AuditBody,
  type CubbyDb,
  type Dialect,
} from '@cubby/db';
import {
  districtShape,
  generateDistrict,
  seedVersion,
  tables,
  type DistrictManifest,
  type Row,
  type TableName,
} from './dashboard-district.js';
import { seedingSettings, startKeptCluster } from './dashboard-pg.js';
import { benchSecret } from './fixture.js';
import { round } from './stats.js';

export interface SeededDatabase {
  dialect: Dialect;
  url: string;
  manifest: DistrictManifest;
  /** Seconds the seeding took when it was done (possibly in an earlier run). */
  seedSeconds: number;
  cached: boolean;
  stop(): void;
}

/** Bump when this file changes what ends up in the database (the generator's own source is hashed). */
const seedFormat = 1;
const here = dirname(fileURLToPath(import.meta.url));
const bigTables: TableName[] = ['people', 'devices', 'kiosk_transactions', 'loans', 'repair_tickets', 'alerts', 'audit_events'];

function cacheDir(dialect: Dialect, scale: number): string {
  const migrations = join(here, '../../packages/db/src/migrations');
  const sources = [
    String(seedFormat),
    ...['dashboard-district.ts', 'dashboard-audit.ts', 'dashboard-random.ts'].map((f) => readFileSync(join(here, f), 'utf8')),
    ...readdirSync(migrations)
      .sort()
      .map((f) => f + readFileSync(join(migrations, f), 'utf8')),
  ];
  return join(tmpdir(), 'cubby-dashbench', `${dialect}-${scale}-${seedVersion(sources)}`);
}

/** The seeded district for this dialect and scale, from the cache or seeded now. */
export async function seededDatabase(
  dialect: Dialect,
  scale: number,
  log: (line: string) => void = console.log,
): Promise<SeededDatabase> {
  const dir = cacheDir(dialect, scale);
  const manifestFile = join(dir, 'manifest.json');
  const cached = existsSync(manifestFile);
  if (!cached) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const started = performance.now();
    const manifest =
      dialect === 'sqlite' ? await seedSqlite(join(dir, 'district.db'), scale, log) : await seedPostgres(dir, scale, log);
    const seedSeconds = round((performance.now() - started) / 1000);
    writeFileSync(manifestFile, JSON.stringify({ ...manifest, seedSeconds }));
    log(`${dialect}: seeded in ${seedSeconds} s (${dir})`);
  }
  const { seedSeconds, ...manifest } = JSON.parse(readFileSync(manifestFile, 'utf8')) as DistrictManifest & {
    seedSeconds: number;
  };
  if (dialect === 'sqlite') return { dialect, url: join(dir, 'district.db'), manifest, seedSeconds, cached, stop() {} };
  const cluster = await startKeptCluster(dir);
  return { dialect, url: cluster.url, manifest, seedSeconds, cached, stop: () => cluster.stop() };
}

type Insert = (table: TableName, rows: Row[]) => Promise<void>;

/** Generates the district through `insert`, with the big tables' secondary indexes dropped meanwhile. */
async function fill(cubby: CubbyDb, scale: number, insert: Insert, log: (line: string) => void): Promise<DistrictManifest> {
  const indexes =
    cubby.dialect === 'sqlite'
      ? (
          await sql<{
            name: string;
            sql: string;
          }>`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in (${sql.join(bigTables)})`.execute(
            cubby.db,
          )
        ).rows
      : (
          await sql<{
            name: string;
            sql: string;
          }>`select indexname as name, indexdef as sql from pg_indexes where schemaname = current_schema()
          and tablename in (${sql.join(bigTables)}) and indexname not in (select conname from pg_constraint)`.execute(cubby.db)
        ).rows;
  for (const index of indexes) await sql`drop index ${sql.ref(index.name)}`.execute(cubby.db);
  const shape = districtShape(scale);
  let t = performance.now();
  const counts = new Map<TableName, number>();
  const manifest = await generateDistrict(shape, Date.now(), benchSecret, async (table, rows) => {
    counts.set(table, (counts.get(table) ?? 0) + rows.length);
    await insert(table, rows);
  });
  log(
    `  rows written in ${round((performance.now() - t) / 1000)} s: ${[...counts].map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`).join(', ')}`,
  );
  await sql`update audit_chain set last_seq = ${manifest.lastAudit.seq}, last_hash = ${manifest.lastAudit.hash} where id = 1`.execute(
    cubby.db,
  );
  t = performance.now();
  for (const index of indexes) await sql.raw(index.sql).execute(cubby.db);
  log(`  ${indexes.length} indexes rebuilt in ${round((performance.now() - t) / 1000)} s`);
  return manifest;
}

async function seedSqlite(file: string, scale: number, log: (line: string) => void): Promise<DistrictManifest> {
  const cubby = connect({ url: file });
  try {
    await migrateToLatest(cubby);
    // connect() opened it in WAL mode; a single huge transaction would pile its whole size up in the WAL (and better-sqlite3's defensive mode refuses journal_mode=OFF).
    for (const pragma of [
      'journal_mode = DELETE',
      'journal_mode = MEMORY',
      'synchronous = OFF',
      'foreign_keys = OFF',
      'cache_size = -1000000',
      'temp_store = MEMORY',
      'locking_mode = EXCLUSIVE',
    ]) {
      await sql.raw(`pragma ${pragma}`).execute(cubby.db);
    }
    const perStatement = 100;
    const statements = new Map<string, string>();
    const statement = (table: TableName, rows: number) => {
      const key = `${table}:${rows}`;
      let text = statements.get(key);
      if (!text) {
        const columns = Object.keys(tables[table]);
        const tuple = `(${columns.map(() => '?').join(',')})`;
        text = `insert into ${table} (${columns.join(',')}) values ${Array<string>(rows).fill(tuple).join(',')}`;
        statements.set(key, text);
      }
      return text;
    };
    await sql`begin`.execute(cubby.db);
    const manifest = await fill(
      cubby,
      scale,
      async (table, rows) => {
        for (let i = 0; i < rows.length; i += perStatement) {
          const chunk = rows.slice(i, i + perStatement);
          await cubby.db.executeQuery(CompiledQuery.raw(statement(table, chunk.length), chunk.flat()));
        }
      },
      log,
    );
    await sql`commit`.execute(cubby.db);
    await sql.raw('pragma journal_mode = WAL').execute(cubby.db);
    await checkChain(cubby, log);
    return manifest;
  } finally {
    await cubby.close();
  }
}

async function seedPostgres(dir: string, scale: number, log: (line: string) => void): Promise<DistrictManifest> {
  const cluster = await startKeptCluster(dir, seedingSettings);
  const cubby = connect({ url: cluster.url, poolSize: 3 });
  try {
    await migrateToLatest(cubby);
    // Rows are consistent by construction; foreign-key triggers would only slow the load.
    for (const table of Object.keys(tables)) await sql.raw(`alter table ${table} disable trigger all`).execute(cubby.db);
    const inFlight = new Set<Promise<unknown>>();
    const manifest = await fill(
      cubby,
      scale,
      async (table, rows) => {
        const columns = Object.entries(tables[table]);
        const arrays = columns.map((_, c) => rows.map((r) => r[c]));
        const casts = columns.map(
          ([, type], c) => `$${c + 1}::${type === 'int' ? 'integer' : type === 'json' ? 'text' : type}[]`,
        );
        const select = columns.map(([name, type]) => (type === 'json' ? `${name}::jsonb` : name));
        const text = `insert into ${table} (${columns.map(([n]) => n).join(',')}) select ${select.join(',')} from unnest(${casts.join(',')}) as u(${columns.map(([n]) => n).join(',')})`;
        const query = cubby.db.executeQuery(CompiledQuery.raw(text, arrays));
        inFlight.add(query);
        void query.finally(() => inFlight.delete(query)).catch(() => {});
        // Two statements in flight: PostgreSQL inserts one batch while Node generates the next.
        if (inFlight.size >= 2) await Promise.race(inFlight);
      },
      log,
    );
    await Promise.all(inFlight);
    for (const table of Object.keys(tables)) await sql.raw(`alter table ${table} enable trigger all`).execute(cubby.db);
    const t = performance.now();
    await sql`vacuum analyze`.execute(cubby.db);
    log(`  vacuum analyze in ${round((performance.now() - t) / 1000)} s`);
    await checkChain(cubby, log);
    return manifest;
  } finally {
    await cubby.close();
    cluster.stop();
  }
}

/**
 * verifyAuditChain (the product's own check) over the whole chain at small
 * scales or with BENCH_VERIFY_CHAIN=full; otherwise the first and the last
 * 20,000 links, recomputed here the same way, and the chain head.
 */
async function checkChain(cubby: CubbyDb, log: (line: string) => void): Promise<void> {
  const t = performance.now();
  const head = (
    await sql<{ last_seq: number; last_hash: string }>`select last_seq, last_hash from audit_chain where id = 1`.execute(cubby.db)
  ).rows[0]!;
  const total = Number(head.last_seq);
  if (total <= 200_000 || process.env.BENCH_VERIFY_CHAIN === 'full') {
    const result = await verifyAuditChain(cubby);
    if (!result.ok) throw new Error(`seeded audit chain broken: ${JSON.stringify(result)}`);
    log(
      `  audit chain verified in full (verifyAuditChain): ${result.events.toLocaleString('en-US')} events in ${round((performance.now() - t) / 1000)} s`,
    );
    return;
  }
  const window = 20_000;
  let last = '';
  for (const from of [1, total - window + 1]) {
    const rows = await cubby.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>=', from)
      .where('seq', '<', from + window)
      .orderBy('seq')
      .execute();
    let prev = from === 1 ? '0'.repeat(64) : rows[0]!.prev_hash!;
    for (const { prev_hash, hash, data, ...rest } of rows) {
      const body: AuditBody = { ...rest, seq: Number(rest.seq), at: Number(rest.at), data: parseJson(data) };
      if (prev_hash !== prev || chainHash(prev, body) !== hash) throw new Error(`seeded audit chain broken at seq ${rest.seq}`);
      prev = hash;
    }
    last = prev;
  }
  if (last !== head.last_hash) throw new Error('seeded audit chain head does not match its last event');
  log(
    `  audit chain: ${total.toLocaleString('en-US')} events; first and last ${window.toLocaleString('en-US')} links and the head verified in ${round((performance.now() - t) / 1000)} s`,
  );
}

// npx tsx bench/src/dashboard-seed.ts sqlite|postgres [scale] [--verify]: seeds (or finds) the
// district; --verify then walks the whole audit chain with the product's verifyAuditChain.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dialect = (process.argv[2] ?? 'sqlite') as Dialect;
  const seeded = await seededDatabase(dialect, Number(process.argv[3] ?? 1));
  console.log(`${dialect}: ${seeded.cached ? 'cached' : 'seeded'} (${seeded.seedSeconds} s) at ${seeded.url}`);
  try {
    if (process.argv.includes('--verify')) {
      const cubby = connect({ url: seeded.url });
      const t = performance.now();
      const result = await verifyAuditChain(cubby);
      await cubby.close();
      console.log(`${dialect}: verifyAuditChain ${JSON.stringify(result)} in ${round((performance.now() - t) / 1000)} s`);
      if (!result.ok) process.exitCode = 1;
    }
  } finally {
    seeded.stop();
  }
}
