import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError, type Principal } from '@cubby/core';
import { findImportRun, newId, type CubbyDb } from '@cubby/db';
import type { Keys } from '../../secrets.js';
import { runImport, type ImportKind, type ImportOutcome } from './import-run.js';
import { formatBytes, maxFileBytes } from './package-source.js';

/**
 * Uploads wait here between their dry run and their apply, under the run's
 * id. On several servers behind a load balancer they must share this folder
 * (docs/importing.md#upload); a previewed upload is applied from the same file.
 */
export const uploadDir = join(tmpdir(), 'cubby-imports');
const uploadPath = (id: string) => join(uploadDir, id.replace(/[^0-9a-f-]/gi, ''));

/** Streams the body to a file, stopping at the limit; a declared length over it is refused before a byte is read. */
async function storeUpload(body: Readable, declared: number | undefined, limit: number, path: string): Promise<void> {
  if (declared !== undefined && declared > limit)
    throw new DomainError('too_large', `An import file is at most ${formatBytes(limit)}`);
  let seen = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _e, done) {
      seen += chunk.length;
      done(seen > limit ? new DomainError('too_large', `An import file is at most ${formatBytes(limit)}`) : null, chunk);
    },
  });
  await mkdir(uploadDir, { recursive: true, mode: 0o700 });
  try {
    await pipeline(body, counter, createWriteStream(path, { mode: 0o600 }));
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
}

/** POST /api/v1/imports: the upload, stored and planned as a dry run. */
export async function previewUpload(
  cubby: CubbyDb,
  keys: Keys,
  principal: Principal,
  upload: { body: unknown; declaredLength: number | undefined; kind: ImportKind; fileName: string; limit?: number },
): Promise<ImportOutcome> {
  if (!isReadable(upload.body)) throw new DomainError('unsupported_media_type', 'The upload must be a zip or a CSV file');
  const id = newId();
  const path = uploadPath(id);
  await storeUpload(upload.body, upload.declaredLength, upload.limit ?? maxFileBytes, path);
  const outcome = await runImport(cubby, keys, {
    kind: upload.kind,
    path,
    fileName: upload.fileName,
    operator: principal,
    dryRun: true,
    id,
  });
  if (outcome.status === 'refused') await rm(path, { force: true });
  return outcome;
}

/** POST /api/v1/imports/:id/apply: the previewed upload, planned again and applied in one transaction. */
export async function applyUpload(cubby: CubbyDb, keys: Keys, principal: Principal, id: string): Promise<ImportOutcome> {
  const run = await findImportRun(cubby.db, id);
  if (!run) throw new DomainError('not_found', 'No such import');
  if (run.status !== 'previewed')
    throw new DomainError('conflict', `This import is ${run.status}`, { reason: `import_${run.status}` });
  const outcome = await runImport(cubby, keys, {
    kind: run.kind,
    path: uploadPath(id),
    fileName: run.fileName,
    operator: principal,
    dryRun: false,
    appliesRun: id,
  });
  if (outcome.status === 'applied') await rm(uploadPath(id), { force: true });
  return outcome;
}

const isReadable = (body: unknown): body is Readable =>
  typeof body === 'object' && body !== null && typeof (body as Readable).pipe === 'function';
