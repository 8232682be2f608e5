import { createWriteStream } from 'node:fs';
import yazl from 'yazl';
import { manifestText, type PackageSpec } from '../services/imports/oneroster-package.js';

export * from '../services/imports/oneroster-package.js';

/** Writes the package as a zip (optionally with extra entries, e.g. a subfolder) and returns its path. */
export async function writePackageZip(path: string, spec: PackageSpec, extra: Record<string, string> = {}): Promise<string> {
  const zip = new yazl.ZipFile();
  if (!spec.noManifest) zip.addBuffer(Buffer.from(manifestText(spec)), 'manifest.csv');
  for (const [file, f] of Object.entries(spec.files)) if (f.text !== undefined) zip.addBuffer(Buffer.from(f.text), file);
  for (const [file, text] of Object.entries(extra)) zip.addBuffer(Buffer.from(text), file);
  zip.end();
  await new Promise<void>((resolve, reject) =>
    zip.outputStream.pipe(createWriteStream(path)).on('close', resolve).on('error', reject),
  );
  return path;
}
