import { sql } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import type { CubbyDb } from './connect.js';
import * as m0001 from './migrations/0001_initial.js';
import * as m0002 from './migrations/0002_offline_journal.js';
import * as m0003 from './migrations/0003_staff_access.js';
import * as m0004 from './migrations/0004_dashboard.js';
import * as m0005 from './migrations/0005_dashboard_indexes.js';
import * as m0006 from './migrations/0006_privacy_erasure.js';
import * as m0007 from './migrations/0007_login_guard_throttles.js';
import * as m0008 from './migrations/0008_station_trust_snapshots.js';
import * as m0009 from './migrations/0009_kiosk_sessions.js';
import * as m0010 from './migrations/0010_charge_readings.js';
import * as m0011 from './migrations/0011_google_sync.js';
import * as m0012 from './migrations/0012_roster_imports.js';
import * as m0013 from './migrations/0013_repair_workflow.js';
import * as m0014 from './migrations/0014_device_wipes.js';
import * as m0015 from './migrations/0015_single_use_tasks.js';
import * as m0016 from './migrations/0016_jobs.js';

type DialectMigration = { up(db: Parameters<Migration['up']>[0], dialect: CubbyDb['dialect']): Promise<void> };

// Numbered, append-only. Never edit a landed migration: add the next number.
const migrations: Record<string, DialectMigration> = {
  '0001_initial': m0001,
  '0002_offline_journal': m0002,
  '0003_staff_access': m0003,
  '0004_dashboard': m0004,
  '0005_dashboard_indexes': m0005,
  '0006_privacy_erasure': m0006,
  '0007_login_guard_throttles': m0007,
  '0008_station_trust_snapshots': m0008,
  '0009_kiosk_sessions': m0009,
  '0010_charge_readings': m0010,
  '0011_google_sync': m0011,
  '0012_roster_imports': m0012,
  '0013_repair_workflow': m0013,
  '0014_device_wipes': m0014,
  '0015_single_use_tasks': m0015,
  '0016_jobs': m0016,
};

export async function migrateToLatest(cubby: CubbyDb): Promise<MigrationResultSet> {
  // Kysely looks for its bookkeeping tables in any schema; name ours, so two
  // databases in one PostgreSQL (schemas side by side) do not see each other's.
  const schema =
    cubby.dialect === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(cubby.db)).rows[0]?.s
      : undefined;
  const migrator = new Migrator({
    db: cubby.db,
    ...(schema ? { migrationTableSchema: schema } : {}),
    provider: {
      async getMigrations() {
        const out: Record<string, Migration> = {};
        for (const [name, m] of Object.entries(migrations)) out[name] = { up: (db) => m.up(db, cubby.dialect) };
        return out;
      },
    },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}
