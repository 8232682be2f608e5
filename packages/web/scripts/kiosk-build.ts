import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  bundleSize,
  ensureBuild,
  isBuildFresh,
  kilobytes,
  kioskApp,
  sourceHash,
  type BundleSize,
  type WebBuild,
} from './web-build.js';

/** The kiosk web app's build (see web-build.ts), for the CLI and the browser tests. */
export const kioskDistDir = kioskApp.distDir;
export type KioskBuild = WebBuild;
export type { BundleSize };

export const kioskSourceHash = (): string => sourceHash(kioskApp);
export const isKioskBuildFresh = (): boolean => isBuildFresh(kioskApp);
export const ensureKioskBuild = (): KioskBuild => ensureBuild(kioskApp);
/** What the kiosk page costs to load: all of its JavaScript, gzipped. */
export const kioskBundleSize = (dir = kioskDistDir): BundleSize => bundleSize(dir);

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const build = ensureKioskBuild();
  const size = kioskBundleSize();
  console.log(
    build.built ? `kiosk web app built in ${build.ms} ms` : 'kiosk web app is up to date',
    `(JS ${kilobytes(size.jsGzip)} + CSS ${kilobytes(size.cssGzip)} gzipped) → ${relative(process.cwd(), build.dir)}`,
  );
}
