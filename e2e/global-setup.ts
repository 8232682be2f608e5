import { ensureKioskBuild, kioskBundleSize } from '../packages/web/scripts/kiosk-build.js';

/** The browser tests load the built kiosk from the station agent: build it once, first, if it is stale. */
export function setup(): void {
  const build = ensureKioskBuild();
  if (build.built) {
    const { jsGzip } = kioskBundleSize();
    process.stdout.write(`kiosk web app built in ${build.ms} ms (${(jsGzip / 1024).toFixed(1)} KB JS gzipped)\n`);
  }
}
