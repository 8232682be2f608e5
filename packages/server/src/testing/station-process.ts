import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from './child-process.js';
import { createInterface } from 'node:readline';

const childEntry = fileURLToPath(new URL('./station-child.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** A seeded PRNG (mulberry32), so a failing kill schedule can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface StationProcessOptions {
  dir: string;
  serverUrl: string;
  token: string;
  compartments: number;
  /** Doors holding a loaner the first time the station boots. */
  loaded: number[];
}

/**
 * A station agent in a child process (station-child.ts) that can be SIGKILLed
 * and started again on the same journal and the same sim bank state file.
 */
export class StationProcess {
  readonly statePath: string;
  private readonly configPath: string;
  private child: ChildProcess | undefined;
  kioskUrl = '';

  constructor(private readonly options: StationProcessOptions) {
    this.statePath = join(options.dir, 'bank.json');
    this.configPath = join(options.dir, 'station.json');
    writeFileSync(this.statePath, JSON.stringify(Object.fromEntries(options.loaded.map((n) => [String(n), 90]))));
    writeFileSync(
      this.configPath,
      JSON.stringify({
        serverUrl: options.serverUrl,
        token: options.token,
        journalPath: join(options.dir, 'journal.db'),
        statePath: this.statePath,
        compartments: options.compartments,
      }),
    );
  }

  /** Starts the agent and resolves with its kiosk URL once the kiosk API listens. */
  async start(): Promise<string> {
    const child = spawn(process.execPath, ['--import', 'tsx', childEntry, this.configPath], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child = child;
    this.kioskUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('station child did not start within 60 s')), 60_000);
      child.once('exit', (code) => reject(new Error(`station child exited with ${code}`)));
      createInterface({ input: child.stdout! }).once('line', (line) => {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { kioskUrl: string }).kioskUrl);
      });
    });
    child.removeAllListeners('exit');
    return this.kioskUrl;
  }

  /** Resolves once the agent reports its link up (its hello was taken by the server). */
  async online(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const status = await fetch(`${this.kioskUrl}/api/station`).then(
        (r) => r.json() as Promise<{ online?: boolean }>,
        () => ({ online: false }),
      );
      if (status.online) return;
      if (Date.now() > until) throw new Error('the station agent did not come online');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** SIGKILL: no cleanup runs, as with a power cut. Resolves once the process is gone. */
  async kill(): Promise<void> {
    await this.stopWith('SIGKILL');
  }

  /** SIGTERM: the agent closes its kiosk API, link and journal. */
  async stop(): Promise<void> {
    await this.stopWith('SIGTERM');
  }

  private async stopWith(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = undefined;
    await stopChild(child, signal);
  }
}

export interface KioskOutcome {
  id?: string;
  status: string;
}

async function call(kioskUrl: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${kioskUrl}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/**
 * One visit through the kiosk HTTP API, as the kiosk screen makes it: sign in,
 * ask, then poll the transaction until it ends. Returns `completed` only when
 * the kiosk API itself said so — that is an acknowledged transaction. Any
 * error (the agent killed under it) is returned as `lost_contact`.
 */
export async function kioskVisit(
  kioskUrl: string,
  badge: string,
  action: Record<string, unknown>,
  timeoutMs = 30_000,
): Promise<KioskOutcome> {
  try {
    const session = await call(kioskUrl, '/api/session', { badge });
    if (session.status !== 200) return { status: `refused:${String(session.json.code)}` };
    const acted = await call(kioskUrl, '/api/actions', action);
    const txn = acted.json.transaction as { id: string; status: string } | undefined;
    if (acted.status !== 200 || !txn) return { status: `refused:${String(acted.json.code)}` };
    const until = Date.now() + timeoutMs;
    let status = txn.status;
    while (status === 'in_progress' && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const polled = await call(kioskUrl, `/api/transactions/${txn.id}`);
      if (polled.status !== 200) return { id: txn.id, status: 'lost_contact' };
      status = String(polled.json.status);
    }
    await fetch(`${kioskUrl}/api/session`, { method: 'DELETE' }).catch(() => undefined);
    return { id: txn.id, status };
  } catch {
    return { status: 'lost_contact' };
  }
}
