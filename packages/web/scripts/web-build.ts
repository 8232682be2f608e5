import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * Builds one of the web apps (the kiosk, the dashboard) when its build is
 * missing or older than its sources, for `npm start` and the browser tests.
 * Staleness is a hash of the sources, not file times, so a fresh clone or a
 * branch switch rebuilds and nothing else does. The build lands in a
 * temporary folder and is swapped in whole, so a server serving the old one
 * never sees half a build.
 */
export const webDir = fileURLToPath(new URL('..', import.meta.url));

export interface WebApp {
  /** Also vite's `--mode`, which vite.config.ts reads to pick the app. */
  name: 'kiosk' | 'dashboard';
  distDir: string;
  /** Files and folders (relative to packages/web) whose content decides whether to rebuild. */
  inputs: string[];
}

const shared = ['src/i18n', 'src/ui', 'vite.config.ts', 'package.json', 'tsconfig.json'];

export const kioskApp: WebApp = { name: 'kiosk', distDir: join(webDir, 'dist', 'kiosk'), inputs: ['src/kiosk', ...shared] };
export const dashboardApp: WebApp = {
  name: 'dashboard',
  distDir: join(webDir, 'dist', 'dashboard'),
  inputs: ['src/dashboard', ...shared],
};

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

export function sourceHash(app: WebApp): string {
  const hash = createHash('sha256');
  const files = app.inputs
    .flatMap((input) => filesUnder(join(webDir, input)))
    .filter((f) => !/\.test\.tsx?$/.test(f))
    .sort();
  for (const file of files) hash.update(relative(webDir, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex');
}

export function isBuildFresh(app: WebApp): boolean {
  const stamp = join(app.distDir, '.source-hash');
  return existsSync(join(app.distDir, 'index.html')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === sourceHash(app);
}

export interface WebBuild {
  dir: string;
  built: boolean;
  ms: number;
}

/** Builds unless the current build matches the sources. Throws with vite's output when the build fails. */
export function ensureBuild(app: WebApp): WebBuild {
  const started = performance.now();
  if (isBuildFresh(app)) return { dir: app.distDir, built: false, ms: 0 };
  const hash = sourceHash(app);
  const tempDir = `${app.distDir}.tmp-${process.pid}`;
  const vite = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--mode', app.name, '--logLevel', 'warn', '--outDir', tempDir], {
    cwd: webDir,
    // React's production build; a test runner's NODE_ENV=test would bundle the slow development one.
    env: { ...process.env, NODE_ENV: 'production' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    rmSync(tempDir, { recursive: true, force: true });
    throw new Error(`the ${app.name} web app did not build:\n${result.stdout}\n${result.stderr}`);
  }
  writeFileSync(join(tempDir, '.source-hash'), hash);
  rmSync(app.distDir, { recursive: true, force: true });
  renameSync(tempDir, app.distDir);
  return { dir: app.distDir, built: true, ms: Math.round(performance.now() - started) };
}

export interface BundleSize {
  /** Gzipped bytes of all the JavaScript of the build (its entry and every chunk). */
  jsGzip: number;
  cssGzip: number;
  files: { file: string; bytes: number; gzip: number }[];
}

/** What an app costs to load, measured on the built files as a browser would fetch them compressed. */
export function bundleSize(dir: string): BundleSize {
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

export const kilobytes = (n: number) => `${(n / 1024).toFixed(1)} KB`;
