import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `npm run build` puts the kiosk web app. */
export const builtKioskDir = fileURLToPath(new URL('../../web/dist/kiosk', import.meta.url));

/** The kiosk app to serve: the given folder, else the built one, else none (API only). */
export function kioskAppDir(given?: string): string | undefined {
  const dir = given ?? builtKioskDir;
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}
