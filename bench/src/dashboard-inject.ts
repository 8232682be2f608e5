/**
 * Dashboard read API at district scale: 10 campuses, 100 stations, 5,000
 * compartments, 150,000 devices, 60,000 people, 200,000 past loans and
 * 5,000,000 audit events, seeded in SQL. Times each dashboard read through
 * the real server (in-process inject) and prints the query plans of the
 * overview's queries on both databases.
 *
 *   npx tsx bench/src/dashboard-inject.ts [sqlite|postgres] …   (default: both)
 */
import { Kysely, PostgresDialect, SqliteDialect, sql, type CompiledQuery } from 'kysely';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import pino from 'pino';
import { listAuditEvents, listDevices, listRepairTickets, stationCounts, stationsWithBacklog, type Database, type Dialect } from '@cubby/db';
import { buildServer, loadServerConfig } from '@cubby/server';
import { anApiToken } from '@cubby/server/testing';
import { benchDatabase, benchSecret, openBenchDb } from './fixture.js';

const scale = { sites: 10, stations: 100, perStation: 50, devices: 150_000, people: 60_000, pastLoans: 200_000, audit: Number(process.env.BENCH_AUDIT ?? 5_000_000) };

function seedSql(dialect: Dialect) {
  const pad = (prefix: string, expr: string, width: number) =>
    dialect === 'sqlite' ? `printf('${prefix}%0${width}d', ${expr})` : `'${prefix}' || lpad((${expr})::text, ${width}, '0')`;
  const series = (n: number) =>
    dialect === 'sqlite' ? `(with recursive s(i) as (select 0 union all select i + 1 from s where i < ${n - 1}) select i from s)` : `(select generate_series(0, ${n - 1}) as i)`;
  const div = (a: string, b: number) => (dialect === 'sqlite' ? `(${a}) / ${b}` : `(${a}) / ${b}`);
  const t0 = 1_790_000_000_000;
  const compartments = scale.stations * scale.perStation;
  const openLoanSlot = `(i % ${scale.perStation} >= 30 and i % ${scale.perStation} < 48)`;
  return [
    `insert into districts (id, name, settings, created_at) values ('d', 'Bench USD', '{}', ${t0})`,
    `insert into sites (id, district_id, name, time_zone, school_day_end, created_at) select ${pad('s-', 'i', 2)}, 'd', ${pad('Campus ', 'i', 2)}, 'America/Chicago', '15:30', ${t0} from ${series(scale.sites)} x`,
    `insert into stations (id, site_id, name, token_hash, connected, last_seen_at, created_at, journal_seq)
       select ${pad('st-', 'i', 3)}, ${pad('s-', `i % ${scale.sites}`, 2)}, ${pad('Station ', 'i', 3)}, null,
              case when i % 7 = 0 then 0 else 1 end, ${t0}, ${t0}, case when i % 7 = 0 then 5 else null end from ${series(scale.stations)} x`,
    `insert into journal_entries_applied (station_id, key, seq, kind, decision, note, happened_at, applied_at)
       select ${pad('st-', `${div('i', 3)} * 7`, 3)}, ${pad('k', 'i', 6)}, i % 3 + 1, 'borrow', 'applied', null, ${t0}, ${t0} from ${series(45)} x`,
    `insert into people (id, district_id, site_id, role, external_id, student_number, given_name, family_name, grade, badge_hash, pin_hash, agreement_accepted_at, active, created_at)
       select ${pad('p-', 'i', 6)}, 'd', ${pad('s-', `i % ${scale.sites}`, 2)}, 'student', null, ${pad('S', 'i', 6)}, ${pad('Given', 'i % 997', 3)}, ${pad('Family', 'i % 1999', 4)}, '9', null, null, null, 1, ${t0} from ${series(scale.people)} x`,
    // Devices 0…4,999 are the loaners of compartments 0…4,999; the rest are students' own.
    `insert into devices (id, district_id, site_id, asset_tag, serial, model, pool, owner_id, status, condition, battery_percent, loan_count, last_loaned_at, warranty_end, created_at, updated_at)
       select ${pad('dv-', 'i', 6)}, 'd', ${pad('s-', `i % ${scale.sites}`, 2)}, ${pad('A', 'i', 6)}, ${pad('SN', 'i', 8)}, ${pad('Chromebook ', 'i % 5', 1)},
              case when i < ${compartments} then 'loaner' else 'assigned' end, null,
              case when i >= ${compartments} then 'in_service' when ${openLoanSlot} then 'on_loan' when i % 97 = 0 then 'awaiting_collection' else 'available' end,
              'good', i % 100, 0, null, null, ${t0}, ${t0} + i from ${series(scale.devices)} x`,
    `insert into compartments (id, station_id, number, has_charger, status, device_id, door, presence, charging, transaction_id, purpose, command_id, updated_at)
       select ${pad('c-', 'i', 4)}, ${pad('st-', div('i', scale.perStation), 3)}, i % ${scale.perStation} + 1, 1,
              case when i % ${scale.perStation} = 49 then 'out_of_service' when ${openLoanSlot} then 'empty' else 'loaded' end,
              case when ${openLoanSlot} or i % ${scale.perStation} = 49 then null else ${pad('dv-', 'i', 6)} end,
              'closed', 0, 0, null, null, null, ${t0} from ${series(compartments)} x`,
    `insert into kiosk_transactions (id, station_id, person_id, request_id, kind, status, error_code, loan_id, repair_ticket_id, charge_session_id, detail, created_at, completed_at)
       select ${pad('kt-', 'i', 7)}, ${pad('st-', `i % ${scale.stations}`, 3)}, ${pad('p-', `i % ${scale.people}`, 6)}, ${pad('r', 'i', 7)}, 'borrow', 'completed', null, null, null, null, '{}', ${t0} + i, ${t0} + i
       from ${series(scale.pastLoans + compartments)} x`,
    // Past loans, returned; then one open loan per loaner out (half of them overdue).
    `insert into loans (id, device_id, person_id, station_id, compartment_id, transaction_id, reason, status, created_at, started_at, due_at, ended_at, return_station_id)
       select ${pad('ln-', 'i', 7)}, ${pad('dv-', `i % ${compartments}`, 6)}, ${pad('p-', `i % ${scale.people}`, 6)}, ${pad('st-', div(`i % ${compartments}`, scale.perStation), 3)},
              ${pad('c-', `i % ${compartments}`, 4)}, ${pad('kt-', 'i', 7)}, 'forgotten', 'returned', ${t0} + i, ${t0} + i, ${t0} + i + 3600000, ${t0} + i + 60000, null
       from ${series(scale.pastLoans)} x`,
    `insert into loans (id, device_id, person_id, station_id, compartment_id, transaction_id, reason, status, created_at, started_at, due_at, ended_at, return_station_id)
       select ${pad('lo-', 'i', 7)}, ${pad('dv-', 'i', 6)}, ${pad('p-', `i % ${scale.people}`, 6)}, ${pad('st-', div('i', scale.perStation), 3)}, ${pad('c-', 'i', 4)},
              ${pad('kt-', `${scale.pastLoans} + i`, 7)}, 'broken', 'active', ${t0}, ${t0}, case when i % 2 = 0 then 1000 else 9999999999999 end, null, null
       from ${series(compartments)} x where ${openLoanSlot}`,
    `insert into alerts (id, kind, station_id, compartment_id, detail, raised_at, cleared_at)
       select ${pad('al-', 'i', 4)}, 'door_left_open', ${pad('st-', `i % ${scale.stations}`, 3)}, ${pad('c-', `(i % ${scale.stations}) * ${scale.perStation}`, 4)}, '{}', ${t0},
              case when i < 60 then null else ${t0} end from ${series(2000)} x`,
    `insert into audit_events (id, seq, at, actor_type, actor_id, action, entity_type, entity_id, station_id, transaction_id, data, prev_hash, hash)
       select ${pad('ae-', 'i', 8)}, i + 1, ${t0} + i, 'station', ${pad('st-', `i % ${scale.stations}`, 3)},
              case when i % 3 = 0 then 'compartment.door_opened' when i % 3 = 1 then 'compartment.door_closed' else 'loan.started' end,
              'compartment', ${pad('c-', `i % ${compartments}`, 4)}, ${pad('st-', `i % ${scale.stations}`, 3)}, null, '{}', 'x', 'x'
       from ${series(scale.audit)} x`,
    `update audit_chain set last_seq = ${scale.audit}`,
  ];
}

function loggingKysely(dialect: Dialect, url: string, seen: CompiledQuery[]) {
  const log = (event: { level: string; query: CompiledQuery }) => void seen.push(event.query);
  return dialect === 'sqlite'
    ? new Kysely<Database>({ dialect: new SqliteDialect({ database: new BetterSqlite3(url) }), log })
    : new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }), log });
}

async function explain(db: Kysely<Database>, dialect: Dialect, query: CompiledQuery): Promise<string> {
  const prefix = dialect === 'sqlite' ? 'explain query plan' : 'explain analyze';
  const { rows } = await db.executeQuery({ ...query, sql: `${prefix} ${query.sql}` } as CompiledQuery);
  return (rows as Record<string, unknown>[]).map((r) => String(r.detail ?? r['QUERY PLAN'])).join('\n    ');
}

async function run(dialect: Dialect) {
  const database = await benchDatabase(dialect);
  const cubby = await openBenchDb(database.url);
  const started = Date.now();
  for (const statement of seedSql(dialect)) {
    if (dialect === 'sqlite') {
      await sql.raw(statement.replace(/^insert into (\w+) \((.*?)\)\s+select/s, 'insert into $1 ($2) select')).execute(cubby.db);
    } else await sql.raw(statement).execute(cubby.db);
  }
  await sql.raw(dialect === 'sqlite' ? 'analyze' : 'vacuum analyze').execute(cubby.db);
  console.log(`\n## ${dialect}: seeded in ${((Date.now() - started) / 1000).toFixed(0)} s`);

  const server = await buildServer({ config: loadServerConfig({ CUBBY_SECRET: benchSecret, PORT: '0' }), cubby, log: pino({ level: 'silent' }) });
  const district = await anApiToken(cubby, 'bench', { scopes: ['fleet:read', 'people:read', 'audit:read'] });
  const campus = await anApiToken(cubby, 'bench-campus', { scopes: ['fleet:read', 'people:read', 'audit:read'], siteIds: ['s-03'] });
  const time = async (label: string, url: string, token = district) => {
    const samples: number[] = [];
    let body = '';
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      const res = await server.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      samples.push(performance.now() - t);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      body = res.body;
    }
    samples.sort((a, b) => a - b);
    console.log(`| ${label} | ${samples[3]!.toFixed(1)} ms | ${samples[6]!.toFixed(1)} ms | ${(body.length / 1024).toFixed(0)} KiB |`);
    return JSON.parse(body) as { nextCursor?: string };
  };
  console.log('| request | median | max | body |\n|---|---|---|---|');
  await time('GET /overview (district)', '/api/v1/overview');
  await time('GET /overview (one campus)', '/api/v1/overview', campus);
  await time('GET /stations/:id/grid (50 doors)', '/api/v1/stations/st-007/grid');
  let page = await time('GET /devices (page 1)', '/api/v1/devices?limit=50');
  for (let i = 0; i < 20; i++) page = (await server.app.inject({ method: 'GET', url: `/api/v1/devices?limit=500&cursor=${page.nextCursor}`, headers: { authorization: `Bearer ${district}` } })).json();
  await time('GET /devices (page 202, cursor)', `/api/v1/devices?limit=50&cursor=${page.nextCursor}`);
  await time('GET /devices?sort=battery_percent&order=desc', '/api/v1/devices?sort=battery_percent&order=desc');
  await time('GET /devices?q=a01234 (search)', '/api/v1/devices?q=a01234');
  await time('GET /devices (one campus)', '/api/v1/devices', campus);
  await time('GET /people?sort=family_name', '/api/v1/people?sort=family_name');
  await time('GET /loans?status=overdue', '/api/v1/loans?status=overdue');
  await time('GET /loans?status=history&sort=due_at&order=desc', '/api/v1/loans?status=history&sort=due_at&order=desc');
  await time('GET /repair-tickets (one campus)', '/api/v1/repair-tickets', campus);
  await time('GET /audit-events (district)', '/api/v1/audit-events');
  await time('GET /audit-events (one campus)', '/api/v1/audit-events', campus);
  await time('GET /audit-events?stationId=…&action=…', '/api/v1/audit-events?stationId=st-042&action=loan.started');

  const seen: CompiledQuery[] = [];
  const logging = loggingKysely(dialect, database.url, seen);
  await stationsWithBacklog(logging, null);
  await stationCounts(logging, null, Date.now());
  await stationCounts(logging, ['s-03'], Date.now());
  await listDevices(logging, { limit: 50, scope: ['s-03'] });
  await listAuditEvents(logging, { limit: 50, scope: ['s-03'] });
  await listRepairTickets(logging, { limit: 50, scope: ['s-03'] });
  console.log('\nquery plans:');
  for (const query of [...seen]) console.log(`  ${query.sql.slice(0, 160).replace(/\s+/g, ' ')}…\n    ${await explain(logging, dialect, query)}`);
  await logging.destroy();
  await server.app.close();
  await cubby.close();
  database.stop();
}

const dialects = (process.argv.slice(2).length ? process.argv.slice(2) : ['sqlite', 'postgres']) as Dialect[];
for (const dialect of dialects) await run(dialect);
