/**
 * Floors for the kiosk benchmark: the same rows' writes a kiosk step makes
 * (update a compartment, update a device, insert an audit event, in one
 * transaction), run straight against the bench's database.
 *
 * - raw: the driver alone. better-sqlite3 with prepared statements and the
 *   pragmas packages/db/src/connect.ts sets for the server (WAL,
 *   synchronous=NORMAL, foreign_keys=ON, busy_timeout=5000), one connection,
 *   BEGIN IMMEDIATE … COMMIT per transaction; `pg` with named prepared
 *   statements over 8 clients, BEGIN … COMMIT per transaction.
 * - helper: the same writes through Kysely and our `inTransaction` (what the
 *   server's code pays per transaction before any of its own logic).
 *
 * Each write sets a row's status to what it already is, so the database's
 * state is unchanged; audit events are written unsealed (seq null), as
 * PostgreSQL's own path does, so run the floors after the server has stopped.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { connect, inTransaction, isPostgresUrl, newId } from '@cubby/db';

interface FloorRow {
  compartmentId: string;
  compartmentStatus: string;
  deviceId: string;
  deviceStatus: string;
}

const rowsSql = `select c.id as "compartmentId", c.status as "compartmentStatus", d.id as "deviceId", d.status as "deviceStatus"
  from compartments c join devices d on d.id = c.device_id order by c.id limit 400`;
const updateCompartment = 'update compartments set status = $1, updated_at = $2 where id = $3';
const updateDevice = 'update devices set status = $1, updated_at = $2 where id = $3';
const insertAudit = `insert into audit_events (id, at, actor_type, actor_id, action, entity_type, entity_id, station_id, transaction_id, data)
  values ($1, $2, 'system', null, 'bench.floor', 'compartment', $3, null, $4, '{}')`;
const sqlite = (text: string) => text.replace(/\$\d+/g, '?');

function checkRows(rows: FloorRow[], workers: number): void {
  if (rows.length < workers) throw new Error(`floor: need ${workers} loaded compartments, the database has ${rows.length}`);
}

/** Transactions per second the driver alone reaches for a kiosk step's writes. */
export async function rawFloor(url: string, seconds: number): Promise<number> {
  return isPostgresUrl(url) ? rawPostgres(url, seconds) : rawSqlite(url.replace(/^sqlite:(\/\/)?/, ''), seconds);
}

function rawSqlite(file: string, seconds: number): number {
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    const rows = db.prepare(rowsSql).all() as FloorRow[];
    checkRows(rows, 1);
    const compartment = db.prepare(sqlite(updateCompartment));
    const device = db.prepare(sqlite(updateDevice));
    const audit = db.prepare(sqlite(insertAudit));
    const step = db.transaction((row: FloorRow, now: number) => {
      compartment.run(row.compartmentStatus, now, row.compartmentId);
      device.run(row.deviceStatus, now, row.deviceId);
      audit.run(newId(), now, row.compartmentId, newId());
    });
    const start = performance.now();
    const until = start + seconds * 1000;
    let count = 0;
    while (performance.now() < until) step.immediate(rows[count++ % rows.length]!, Date.now());
    return count / ((performance.now() - start) / 1000);
  } finally {
    db.close();
  }
}

async function rawPostgres(url: string, seconds: number, workers = 8): Promise<number> {
  const clients = Array.from({ length: workers }, () => new pg.Client({ connectionString: url }));
  try {
    await Promise.all(clients.map((c) => c.connect()));
    const rows = (await clients[0]!.query<FloorRow>(rowsSql)).rows;
    checkRows(rows, workers);
    const start = performance.now();
    const until = start + seconds * 1000;
    let count = 0;
    await Promise.all(
      clients.map(async (client, w) => {
        // Each client its own rows, as each station has its own: no lock waits between them.
        const mine = rows.filter((_, i) => i % workers === w);
        for (let i = 0; performance.now() < until; i++) {
          const row = mine[i % mine.length]!;
          const now = Date.now();
          await client.query('begin');
          await client.query({
            name: 'floor_compartment',
            text: updateCompartment,
            values: [row.compartmentStatus, now, row.compartmentId],
          });
          await client.query({ name: 'floor_device', text: updateDevice, values: [row.deviceStatus, now, row.deviceId] });
          await client.query({ name: 'floor_audit', text: insertAudit, values: [newId(), now, row.compartmentId, newId()] });
          await client.query('commit');
          count++;
        }
      }),
    );
    return count / ((performance.now() - start) / 1000);
  } finally {
    await Promise.all(clients.map((c) => c.end().catch(() => {})));
  }
}

/** The same writes through Kysely and `inTransaction` (8 concurrent units on PostgreSQL, as the raw floor). */
export async function helperFloor(url: string, seconds: number): Promise<number> {
  const cubby = connect({ url, poolSize: 10 });
  try {
    const rows = await cubby.db
      .selectFrom('compartments as c')
      .innerJoin('devices as d', 'd.id', 'c.device_id')
      .select(['c.id as compartmentId', 'c.status as compartmentStatus', 'd.id as deviceId', 'd.status as deviceStatus'])
      .orderBy('c.id')
      .limit(400)
      .execute();
    const workers = cubby.dialect === 'postgres' ? 8 : 1;
    checkRows(rows, workers);
    const start = performance.now();
    const until = start + seconds * 1000;
    let count = 0;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const mine = rows.filter((_, i) => i % workers === w);
        for (let i = 0; performance.now() < until; i++) {
          const row = mine[i % mine.length]!;
          await inTransaction(cubby, async (tx) => {
            await tx.db
              .updateTable('compartments')
              .set({ status: row.compartmentStatus, updated_at: tx.now })
              .where('id', '=', row.compartmentId)
              .execute();
            await tx.db
              .updateTable('devices')
              .set({ status: row.deviceStatus, updated_at: tx.now })
              .where('id', '=', row.deviceId)
              .execute();
            tx.audit({
              actorType: 'system',
              actorId: null,
              action: 'bench.floor',
              entityType: 'compartment',
              entityId: row.compartmentId,
              transactionId: newId(),
            });
          });
          count++;
        }
      }),
    );
    return count / ((performance.now() - start) / 1000);
  } finally {
    await cubby.close();
  }
}
