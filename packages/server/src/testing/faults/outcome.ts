import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CubbyDb, Dialect } from '@cubby/db';
import { lockerInvariantViolations } from '../invariants.js';
import { waitFor } from '../offline-station.js';
import { reconcile, type AcknowledgementLedger } from './ledger.js';

/** What one fault scenario did and found; the tests expect every list empty. */
export interface FaultOutcome {
  scenario: 'link_cuts' | 'station_kills' | 'server_kills';
  db: Dialect;
  seed: number;
  cuts: number;
  kills: number;
  /** Acknowledged transactions (the kiosk was told they completed), of which offline. */
  transactions: number;
  offline: number;
  lost: string[];
  duplicated: string[];
  /** Doors the server believes other than the sensors read. */
  doorMismatches: string[];
  /** Doors taken out of service for a technician (a step that could not settle). */
  outOfService: number;
  invariantViolations: string[];
  /** How the kiosk visits ended, by outcome. */
  visits: Record<string, number>;
  seconds: number;
}

/** Adds up visit outcomes from several stations. */
export function tally(counts: Iterable<ReadonlyMap<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const map of counts) for (const [key, n] of map) out[key] = (out[key] ?? 0) + n;
  return out;
}

/** Waits until no kiosk transaction is in progress; on timeout the error lists them. */
export async function everyTransactionSettled(cubby: CubbyDb, timeoutMs = 60_000): Promise<void> {
  const stuck = () =>
    cubby.db.selectFrom('kiosk_transactions').select(['id', 'kind', 'station_id']).where('status', '=', 'in_progress').execute();
  await waitFor(async () => (await stuck()).length === 0, 'every transaction to settle', timeoutMs).catch(
    async (error: unknown) => {
      throw new Error(`${String(error)}: ${JSON.stringify(await stuck())}`);
    },
  );
}

/** The checks every scenario ends with, once its stations are settled. */
export async function judge(
  cubby: CubbyDb,
  ledger: AcknowledgementLedger,
  doors: { mismatches: string[]; outOfService: number[] }[],
) {
  const reconciled = await reconcile(cubby, ledger.entries);
  const verdict = {
    transactions: reconciled.transactions,
    offline: ledger.entries.filter((a) => a.offline).length,
    lost: reconciled.lost,
    duplicated: reconciled.duplicated,
    doorMismatches: doors.flatMap((d) => d.mismatches),
    outOfService: doors.reduce((n, d) => n + d.outOfService.length, 0),
    invariantViolations: await lockerInvariantViolations(cubby),
  };
  const clean =
    verdict.lost.length + verdict.duplicated.length + verdict.doorMismatches.length + verdict.invariantViolations.length === 0 &&
    verdict.outOfService === 0;
  if (!clean) await dumpState(cubby, ledger, verdict);
  return verdict;
}

/**
 * A failing run is rare and depends on timing, so it leaves the database's
 * locker state and what the kiosks were told in a JSON file to read afterwards
 * (CUBBY_FAULT_DUMP_DIR, default the temp dir); its path goes to stderr.
 */
async function dumpState(cubby: CubbyDb, ledger: AcknowledgementLedger, verdict: object): Promise<void> {
  const table = (name: 'kiosk_transactions' | 'compartments' | 'devices' | 'loans' | 'audit_events') =>
    cubby.db.selectFrom(name).selectAll().execute();
  const state = {
    verdict,
    acknowledged: ledger.entries,
    kioskTransactions: await table('kiosk_transactions'),
    compartments: await table('compartments'),
    devices: await table('devices'),
    loans: await table('loans'),
    auditEvents: await table('audit_events'),
  };
  const file = join(process.env.CUBBY_FAULT_DUMP_DIR ?? tmpdir(), `cubby-fault-${process.pid}-${Date.now()}.json`);
  await writeFile(
    file,
    JSON.stringify(state, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v), 1),
  );
  process.stderr.write(`fault scenario failed: database state written to ${file}\n`);
}
