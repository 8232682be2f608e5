import { dashboardBundleSize, ensureDashboardBuild } from '../packages/web/scripts/dashboard-build.js';
import { ensureKioskBuild, kioskBundleSize } from '../packages/web/scripts/kiosk-build.js';

/**
 * The browser tests load the built kiosk from the station agent and the built
 * dashboard from the server: build each once, first, if it is stale.
 */
export function setup(): void {
  const kiosk = ensureKioskBuild();
  if (kiosk.built) {
    const { jsGzip } = kioskBundleSize();
    process.stdout.write(`kiosk web app built in ${kiosk.ms} ms (${(jsGzip / 1024).toFixed(1)} KB JS gzipped)\n`);
  }
  const dashboard = ensureDashboardBuild();
  if (dashboard.built) {
    const { jsGzip } = dashboardBundleSize();
    process.stdout.write(`dashboard web app built in ${dashboard.ms} ms (${(jsGzip / 1024).toFixed(1)} KB JS gzipped)\n`);
  }
}
