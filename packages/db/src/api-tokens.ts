import type { Executor } from './transaction.js';
import { parseJson } from './json.js';

export interface ApiTokenRecord {
  id: string;
  name: string;
  /** Permission names (see @cubby/core access/roles); legacy tokens say ['read']. */
  scopes: string[];
  siteIds: string[] | null;
  createdAt: number;
  createdBy: string | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

const columns = ['id', 'name', 'scopes', 'site_ids', 'created_at', 'created_by', 'revoked_at', 'last_used_at'] as const;

function toRecord(row: {
  id: string;
  name: string;
  scopes: unknown;
  site_ids?: string | null;
  created_at: number;
  created_by?: string | null;
  revoked_at: number | null;
  last_used_at: number | null;
}): ApiTokenRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: parseJson<string[]>(row.scopes),
    siteIds: row.site_ids ? parseJson<string[]>(row.site_ids) : null,
    createdAt: Number(row.created_at),
    createdBy: row.created_by ?? null,
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}

export async function findApiTokenByHash(db: Executor, tokenHash: string): Promise<ApiTokenRecord | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .select(columns)
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row && toRecord(row);
}

export async function insertApiToken(
  db: Executor,
  row: {
    id: string;
    name: string;
    token_hash: string;
    scopes: string[];
    created_at: number;
    siteIds?: string[] | null;
    createdBy?: string | null;
  },
) {
  await db
    .insertInto('api_tokens')
    .values({
      id: row.id,
      name: row.name,
      token_hash: row.token_hash,
      scopes: JSON.stringify(row.scopes),
      created_at: row.created_at,
      site_ids: row.siteIds ? JSON.stringify(row.siteIds) : null,
      created_by: row.createdBy ?? null,
      revoked_at: null,
      last_used_at: null,
    })
    .execute();
}

export async function listApiTokens(db: Executor): Promise<ApiTokenRecord[]> {
  return (await db.selectFrom('api_tokens').select(columns).orderBy('created_at', 'desc').execute()).map(toRecord);
}

export async function revokeApiToken(db: Executor, id: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** At most once a minute per token, so reads do not turn into writes. */
export async function touchApiToken(db: Executor, id: string, now: number): Promise<void> {
  await db
    .updateTable('api_tokens')
    .set({ last_used_at: now })
    .where('id', '=', id)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)]))
    .execute();
}
