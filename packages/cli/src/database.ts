import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { connect, isPostgresUrl, migrateToLatest, type CubbyDb } from '@cubby/db';

/** Opens the configured database and brings its schema up to date. */
export async function openDatabase(url: string): Promise<CubbyDb> {
  if (!isPostgresUrl(url) && url !== ':memory:') mkdirSync(dirname(url.replace(/^sqlite:(\/\/)?/, '')), { recursive: true });
  const cubby = connect({ url, poolSize: 20 });
  await migrateToLatest(cubby);
  return cubby;
}
