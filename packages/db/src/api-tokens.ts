import type { Executor } from './transaction.js';

export function findApiTokenByHash(db: Executor, tokenHash: string) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'scopes'])
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

export async function insertApiToken(db: Executor, row: { id: string; name: string; token_hash: string; scopes: string[]; created_at: number }) {
  await db
    .insertInto('api_tokens')
    .values({ ...row, scopes: JSON.stringify(row.scopes), revoked_at: null, last_used_at: null })
    .execute();
}
