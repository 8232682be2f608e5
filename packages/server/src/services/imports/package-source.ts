import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { problem, type ImportProblem } from '@cubby/core';

/** The files of a OneRoster package, from a zip or a folder: no subfolders, at most one file per name. */
export interface PackageSource {
  name: string;
  files: ReadonlySet<string>;
  open(file: string): Promise<Readable>;
  close(): void;
}

/** One file of an upload or a package may be at most this large (a district's users.csv is tens of MB). */
export const maxFileBytes = 2 * 1024 ** 3;

export class RefusedPackage extends Error {
  constructor(readonly problem: ImportProblem) {
    super(problem.message);
  }
}

export async function openPackage(path: string, limit = maxFileBytes): Promise<PackageSource> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new RefusedPackage(problem(basename(path), null, null, 'does not exist'));
  return info.isDirectory() ? openFolder(path, limit) : openZip(path, limit);
}

async function openFolder(path: string, limit: number): Promise<PackageSource> {
  const name = basename(path);
  const files = new Set<string>();
  for (const entry of await readdir(path, { withFileTypes: true })) {
    if (entry.isDirectory())
      throw new RefusedPackage(
        problem(name, null, null, `has a subfolder '${entry.name}': a OneRoster package has its CSV files at the top`),
      );
    if (!entry.isFile()) continue;
    const size = (await stat(join(path, entry.name))).size;
    if (size > limit) throw new RefusedPackage(problem(entry.name, null, null, `is larger than ${formatBytes(limit)}`));
    files.add(entry.name);
  }
  return { name, files, open: async (file) => createReadStream(join(path, file)), close: () => {} };
}

const openZipFile = (path: string) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true }, (error, zip) =>
      error ? reject(error) : resolve(zip),
    ),
  );

/**
 * A zip, read from its central directory (so a truncated download is refused
 * before anything is read) and streamed entry by entry. yauzl checks each
 * entry's size against the directory, so a zip bomb stops at the size it declared.
 */
async function openZip(path: string, limit: number): Promise<PackageSource> {
  const name = basename(path);
  let zip: yauzl.ZipFile;
  try {
    zip = await openZipFile(path);
  } catch (error) {
    throw new RefusedPackage(
      problem(name, null, null, `is not a whole zip file (truncated or damaged): ${(error as Error).message}`),
    );
  }
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.includes('/')) {
          const folder = entry.fileName.split('/')[0];
          return reject(
            new RefusedPackage(
              problem(name, null, null, `has a subfolder '${folder}': a OneRoster package has its CSV files at the top`),
            ),
          );
        }
        if (entry.uncompressedSize > limit)
          return reject(new RefusedPackage(problem(entry.fileName, null, null, `is larger than ${formatBytes(limit)}`)));
        if (entries.has(entry.fileName))
          return reject(new RefusedPackage(problem(name, null, null, `holds '${entry.fileName}' twice`)));
        entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    if (error instanceof RefusedPackage) throw error;
    throw new RefusedPackage(
      problem(name, null, null, `is not a whole zip file (truncated or damaged): ${(error as Error).message}`),
    );
  }
  return {
    name,
    files: new Set(entries.keys()),
    open: (file) =>
      new Promise<Readable>((resolve, reject) =>
        zip.openReadStream(entries.get(file)!, (error, stream) => (error ? reject(error) : resolve(stream))),
      ),
    close: () => zip.close(),
  };
}

export function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3
    ? `${bytes / 1024 ** 3} GB`
    : bytes >= 1024 ** 2
      ? `${Math.round(bytes / 1024 ** 2)} MB`
      : `${bytes} bytes`;
}
