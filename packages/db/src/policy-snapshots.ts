import { parseJson } from './json.js';
import type { Executor } from './transaction.js';

/** What a station was told it may do alone, as the replay checks it. */
export interface SentSnapshot {
  id: string;
  stationId: string;
  digest: string;
  hashing: { salt: string; n: number; r: number; p: number };
  maxActiveLoans: number;
  offlineBorrowLimit: number;
  /** personId → [open loans when it was sent, the credential hash it listed]. */
  people: Record<string, [number, string]>;
  /** [compartment, deviceId] of each loaner it offered. */
  loaners: [number, string][];
  createdAt: number;
}

/**
 * A record is dropped only once it is both a week old and behind the
 * station's 20 newest: an outage's journal names the snapshot from before the
 * outage, and the replay after it writes new ones.
 */
const keptPerStation = 20;
const keptForMs = 7 * 86_400_000;

function toSent(row: {
  id: string;
  station_id: string;
  digest: string;
  hashing: unknown;
  max_active_loans: number;
  offline_borrow_limit: number;
  people: unknown;
  loaners: unknown;
  created_at: number;
}): SentSnapshot {
  return {
    id: row.id,
    stationId: row.station_id,
    digest: row.digest,
    hashing: parseJson(row.hashing),
    maxActiveLoans: Number(row.max_active_loans),
    offlineBorrowLimit: Number(row.offline_borrow_limit),
    people: parseJson(row.people),
    loaners: parseJson(row.loaners),
    createdAt: Number(row.created_at),
  };
}

const columns = [
  'id',
  'station_id',
  'digest',
  'hashing',
  'max_active_loans',
  'offline_borrow_limit',
  'people',
  'loaners',
  'created_at',
] as const;

/** The station's newest snapshot record, if it has one. */
export async function latestSentSnapshot(db: Executor, stationId: string): Promise<SentSnapshot | undefined> {
  const row = await db
    .selectFrom('policy_snapshots')
    .select(columns)
    .where('station_id', '=', stationId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? toSent(row) : undefined;
}

/** The snapshot a journal entry names, only if it was sent to that station. */
export async function findSentSnapshot(db: Executor, stationId: string, id: string): Promise<SentSnapshot | undefined> {
  const row = await db
    .selectFrom('policy_snapshots')
    .select(columns)
    .where('id', '=', id)
    .where('station_id', '=', stationId)
    .executeTakeFirst();
  return row ? toSent(row) : undefined;
}

/** Records a new snapshot for a station and drops its oldest beyond the few kept. */
export async function recordSentSnapshot(db: Executor, s: SentSnapshot): Promise<void> {
  await db
    .insertInto('policy_snapshots')
    .values({
      id: s.id,
      station_id: s.stationId,
      digest: s.digest,
      hashing: JSON.stringify(s.hashing),
      max_active_loans: s.maxActiveLoans,
      offline_borrow_limit: s.offlineBorrowLimit,
      people: JSON.stringify(s.people),
      loaners: JSON.stringify(s.loaners),
      created_at: s.createdAt,
    })
    .execute();
  const kept = await db
    .selectFrom('policy_snapshots')
    .select('created_at')
    .where('station_id', '=', s.stationId)
    .orderBy('created_at', 'desc')
    .offset(keptPerStation - 1)
    .limit(1)
    .executeTakeFirst();
  if (kept)
    await db
      .deleteFrom('policy_snapshots')
      .where('station_id', '=', s.stationId)
      .where('created_at', '<', Math.min(Number(kept.created_at), s.createdAt - keptForMs))
      .execute();
}
