/**
 * Why a dashboard read is slow: runs the product's read queries (the same
 * @cubby/db functions the routes call, with the arguments a district-wide
 * token gives them) on the seeded district, times each SQL statement and
 * prints the query plan of those slower than BENCH_EXPLAIN_MS (default 20).
 *
 *   npx tsx bench/src/dashboard-explain.ts sqlite|postgres [scale]
 */
import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import {
  listAuditEvents,
  listDevices,
  listLoans,
  listPeople,
  listRepairTickets,
  stationCounts,
  stationGrid,
  stationsWithBacklog,
  type Database,
  type Dialect,
  type Executor,
} from '@cubby/db';
import { seededDatabase } from './dashboard-seed.js';
import { round } from './stats.js';

const dialect = (process.argv[2] ?? 'sqlite') as Dialect;
const scale = Number(process.argv[3] ?? 1);
const slowMs = Number(process.env.BENCH_EXPLAIN_MS ?? 20);

const seeded = await seededDatabase(dialect, scale);
const statements: { sql: string; parameters: readonly unknown[]; ms: number }[] = [];
const log = (event: LogEvent) => {
  if (event.level === 'query')
    statements.push({ sql: event.query.sql, parameters: event.query.parameters, ms: event.queryDurationMillis });
};
const db =
  dialect === 'sqlite'
    ? new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(seeded.url) }), log })
    : new Kysely<Database>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: seeded.url, max: 2 }) }),
        log,
      });

const m = seeded.manifest;
const site = m.siteIds[Math.floor(m.siteIds.length / 2)]!;
const station = m.stationIds[Math.floor(m.stationIds.length / 3)]!;
const tag = m.assetTags[0]!;
const page = { limit: 50, scope: null };
const cases: [string, (db: Executor) => Promise<unknown>][] = [
  ['overview: stations', (db) => stationsWithBacklog(db, null)],
  ['overview: counts', (db) => stationCounts(db, null, Date.now())],
  ['station grid', (db) => stationGrid(db, m.stationIds[0]!)],
  ['devices', (db) => listDevices(db, page)],
  ['devices loaners available', (db) => listDevices(db, { ...page, pool: 'loaner', status: 'available' })],
  ['devices by asset tag', (db) => listDevices(db, { ...page, sort: 'assetTag' })],
  ['devices loaners by battery', (db) => listDevices(db, { ...page, pool: 'loaner', sort: 'batteryPercent' })],
  ['devices at a campus in repair', (db) => listDevices(db, { ...page, siteId: site, status: 'in_repair' })],
  ['devices q=tag', (db) => listDevices(db, { ...page, q: tag })],
  ['devices q=prefix', (db) => listDevices(db, { ...page, q: tag.slice(0, 6) })],
  ['people', (db) => listPeople(db, page)],
  ['people by name', (db) => listPeople(db, { ...page, sort: 'familyName' })],
  ['people at a campus by name', (db) => listPeople(db, { ...page, siteId: site, sort: 'familyName' })],
  ['people q=name', (db) => listPeople(db, { ...page, q: m.familyNames[3] })],
  ['people q=number', (db) => listPeople(db, { ...page, q: 'S1000123' })],
  ['loans', (db) => listLoans(db, { ...page, withNames: true })],
  ['loans active by due', (db) => listLoans(db, { ...page, withNames: true, status: 'active', sort: 'dueAt' })],
  ['loans overdue by due', (db) => listLoans(db, { ...page, withNames: true, status: 'overdue', sort: 'dueAt' })],
  [
    'loans history newest',
    (db) => listLoans(db, { ...page, withNames: true, status: 'history', sort: 'createdAt', order: 'desc' }),
  ],
  [
    'loans at a station newest',
    (db) => listLoans(db, { ...page, withNames: true, stationId: station, sort: 'createdAt', order: 'desc' }),
  ],
  ['loans at a campus active', (db) => listLoans(db, { ...page, withNames: true, siteId: site, status: 'active' })],
  ['loans q=tag', (db) => listLoans(db, { ...page, withNames: true, q: tag })],
  ['repairs', (db) => listRepairTickets(db, { ...page, withNames: true })],
  [
    'repairs open newest',
    (db) => listRepairTickets(db, { ...page, withNames: true, status: 'open', sort: 'reportedAt', order: 'desc' }),
  ],
  ['repairs awaiting collection', (db) => listRepairTickets(db, { ...page, withNames: true, status: 'awaiting_collection' })],
  ['repairs at a campus open', (db) => listRepairTickets(db, { ...page, withNames: true, siteId: site, status: 'open' })],
  ['repairs q=tag', (db) => listRepairTickets(db, { ...page, withNames: true, q: tag })],
  ['audit', (db) => listAuditEvents(db, page)],
  ['audit at a station', (db) => listAuditEvents(db, { ...page, stationId: station })],
  ['audit station events', (db) => listAuditEvents(db, { ...page, entityType: 'station' })],
  ['audit loan.started', (db) => listAuditEvents(db, { ...page, action: 'loan.started' })],
  ['audit door_left_open', (db) => listAuditEvents(db, { ...page, action: 'compartment.door_left_open' })],
  ['audit last week oldest first', (db) => listAuditEvents(db, { ...page, from: m.now - 7 * 86_400_000, order: 'asc' })],
];

try {
  for (const [label, run] of cases) {
    await run(db); // warm
    statements.length = 0;
    const t = performance.now();
    await run(db);
    const total = performance.now() - t;
    console.log(`${label}: ${round(total, 1)} ms`);
    for (const s of statements.filter((s) => s.ms >= slowMs)) {
      console.log(`  ${round(s.ms, 1)} ms: ${s.sql}\n  parameters: ${JSON.stringify(s.parameters)}`);
      const explain = dialect === 'sqlite' ? `explain query plan ${s.sql}` : `explain (analyze, buffers) ${s.sql}`;
      const plan = await db.executeQuery(CompiledQuery.raw(explain, [...s.parameters]));
      for (const row of plan.rows as Record<string, unknown>[])
        console.log(`    ${dialect === 'sqlite' ? `${row.id}/${row.parent} ${row.detail}` : row['QUERY PLAN']}`);
    }
  }
} finally {
  await db.destroy();
  seeded.stop();
}
