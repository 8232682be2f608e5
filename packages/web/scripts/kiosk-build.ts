import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Builds the kiosk web app when its build is missing or older than its
 * sources, for `npm start` and the browser tests. Staleness is a hash of the
 * sources, not file times, so a fresh clone or a branch switch rebuilds and
 * nothing else does. The build lands in a temporary folder and is swapped in
 * whole, so a station serving the old one never sees half a build.
 */
const webDir = fileURLToPath(new URL('..', import.meta.url));
export const kioskDistDir = join(webDir, 'dist', 'kiosk');
const stampFile = join(kioskDistDir, '.source-hash');
const inputs = ['src', 'vite.config.ts', 'package.json', 'tsconfig.json'];

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

export function kioskSourceHash(): string {
  const hash = createHash('sha256');
  const files = inputs
    .flatMap((input) => filesUnder(join(webDir, input)))
    .filter((f) => !/\.test\.tsx?$/.test(f))
    .sort();
  for (const file of files) hash.update(relative(webDir, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export function isKioskBuildFresh(): boolean {
  return (
    existsSync(join(kioskDistDir, 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === kioskSourceHash()
  );
}

export interface KioskBuild {
  dir: string;
  built: boolean;
  ms: number;
}

/** Builds unless the current build matches the sources. Throws with vite's output when the build fails. */
export function ensureKioskBuild(): KioskBuild {
  const started = performance.now();
  if (isKioskBuildFresh()) return { dir: kioskDistDir, built: false, ms: 0 };
  const hash = kioskSourceHash();
  const tempDir = `${kioskDistDir}.tmp-${process.pid}`;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', tempDir], {
    cwd: webDir,
    // React's production build; a test runner's NODE_ENV=test would bundle the slow development one.
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    rmSync(tempDir, { recursive: true, force: true });
    throw new Error(`the kiosk web app did not build:\n${result.stdout}\n${result.stderr}`);
  }
  writeFileSync(join(tempDir, '.source-hash'), hash);
  rmSync(kioskDistDir, { recursive: true, force: true });
  renameSync(tempDir, kioskDistDir);
  return { dir: kioskDistDir, built: true, ms: Math.round(performance.now() - started) };
}

export interface BundleSize {
  /** Gzipped bytes of the JavaScript the kiosk page loads (its entry and what it imports). */
  jsGzip: number;
  cssGzip: number;
  files: { file: string; bytes: number; gzip: number }[];
}

/** What the kiosk page costs to load, measured on the built files as a browser would fetch them compressed. */
export function kioskBundleSize(dir = kioskDistDir): BundleSize {
  const assets = join(dir, 'assets');
  const files = readdirSync(assets)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => {
      const content = readFileSync(join(assets, f));
      return { file: f, bytes: content.length, gzip: gzipSync(content, { level: 9 }).length };
    });
  const sum = (ext: string) => files.filter((f) => f.file.endsWith(ext)).reduce((n, f) => n + f.gzip, 0);
  return { jsGzip: sum('.js'), cssGzip: sum('.css'), files };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const build = ensureKioskBuild();
  const size = kioskBundleSize();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    build.built ? `kiosk web app built in ${build.ms} ms` : 'kiosk web app is up to date',
    `(JS ${kb(size.jsGzip)} + CSS ${kb(size.cssGzip)} gzipped) → ${relative(process.cwd(), build.dir)}`,
  );
}
