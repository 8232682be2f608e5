import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ensurePrivateDir } from './key-file.js';

/**
 * First start of a new station: an admin created it in the dashboard and got
 * a one-time enrollment code; the station trades that code for its own
 * long-lived credential and keeps it in a file only its user can read. The
 * code is spent by the exchange, so a code seen over someone's shoulder later
 * is worthless.
 */
export async function enrollStation(serverUrl: string, code: string): Promise<{ stationId: string; token: string }> {
  const res = await fetch(new URL('/station/enroll', serverUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: code.trim() }),
  });
  const body = (await res.json().catch(() => ({}))) as { stationId?: string; token?: string; detail?: string; title?: string };
  if (!res.ok || !body.token || !body.stationId) {
    throw new Error(`enrollment refused (${res.status}): ${body.detail ?? body.title ?? 'no answer'}`);
  }
  return { stationId: body.stationId, token: body.token };
}

/** The station's credential: given directly, kept from an earlier enrollment, or enrolled now. */
export async function stationCredential(options: {
  serverUrl: string;
  token?: string | undefined;
  enrollCode?: string | undefined;
  tokenFile: string;
}): Promise<string> {
  if (options.token) return options.token;
  if (options.enrollCode) {
    const { token } = await enrollStation(options.serverUrl, options.enrollCode);
    ensurePrivateDir(dirname(options.tokenFile));
    writeFileSync(options.tokenFile, `${token}\n`, { mode: 0o600 });
    chmodSync(options.tokenFile, 0o600);
    return token;
  }
  if (existsSync(options.tokenFile)) return readFileSync(options.tokenFile, 'utf8').trim();
  throw new Error(
    `no station credential: pass --enroll CODE (from the dashboard) once, or --token; looked for ${options.tokenFile}`,
  );
}
