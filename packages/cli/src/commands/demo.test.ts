import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCliConfig } from '../config.js';
import { startDemo, type RunningDemo } from './demo.js';

let demo: RunningDemo | undefined;
let dataDir: string | undefined;

afterEach(async () => {
  await demo?.close();
  demo = undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

/** The CLI config for a throwaway data dir, free ports and quiet logs. */
function testConfig(dir: string) {
  const env = { CUBBY_DATA_DIR: dir, PORT: '0', HOST: '127.0.0.1', CUBBY_DEMO_STATION_PORT: '0', LOG_LEVEL: 'silent' };
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  try {
    return loadCliConfig({ logLevel: 'silent' });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function until<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function call(url: string, method = 'GET', body?: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

describe('cubby start --serial-sim', () => {
  it(
    'runs every demo station on the Kerong driver and a simulated serial board, and the autopilot completes a borrow',
    { timeout: 180_000 },
    async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'cubby-demo-serial-'));
      demo = await startDemo(testConfig(dataDir), { serialSim: true, actDelayMs: 50 });
      expect(demo.stations.length).toBeGreaterThan(0);
      expect(demo.stations.map((s) => s.bank.kind)).toEqual(demo.stations.map(() => 'serial'));

      const kiosk = demo.stations[0]!.station.kioskUrl;
      const status = await until(async () => {
        const { json } = await call(`${kiosk}/api/station`);
        return json.online === true ? json : undefined;
      }, 'the first station to come online');
      // The serial board was preloaded from the database: the doors holding loaners read full.
      const held = await demo.server.cubby.db
        .selectFrom('compartments')
        .select(['number', 'presence'])
        .where('station_id', '=', demo.demo.stations[0]!.id)
        .orderBy('number')
        .execute();
      expect(status.compartments.map((c: { number: number; presence: boolean }) => [c.number, c.presence ? 1 : 0])).toEqual(
        held.map((c) => [c.number, c.presence]),
      );

      // A demo student without a loaner signs in by badge and borrows one.
      let personId: string | undefined;
      for (const { badge } of demo.demo.badges) {
        const signIn = await call(`${kiosk}/api/session`, 'POST', { badge });
        if (signIn.status === 200 && signIn.json.loans.length === 0) {
          personId = signIn.json.person.id;
          break;
        }
        await call(`${kiosk}/api/session`, 'DELETE');
      }
      expect(personId, 'a demo badge without a loan').toBeDefined();
      expect((await call(`${kiosk}/api/actions`, 'POST', { kind: 'accept_agreement' })).status).toBe(200);
      const started = await call(`${kiosk}/api/actions`, 'POST', { kind: 'borrow', reason: 'forgotten' });
      expect(started.status, JSON.stringify(started.json)).toBe(200);
      const id: string = started.json.transaction.id;
      const end = await until(async () => {
        const { json } = await call(`${kiosk}/api/transactions/${id}`);
        return json.status === 'completed' || json.status === 'failed' || json.status === 'cancelled' ? json : undefined;
      }, 'the borrow to finish');
      expect(end.status).toBe('completed');

      const loans = await demo.server.cubby.db
        .selectFrom('loans')
        .select(['status'])
        .where('person_id', '=', personId!)
        .where('status', '=', 'active')
        .execute();
      expect(loans).toHaveLength(1);
      const door: number = started.json.transaction.compartment ?? end.compartment;
      expect(door, JSON.stringify(end)).toBeGreaterThan(0);
      const compartment = await demo.server.cubby.db
        .selectFrom('compartments')
        .select(['presence', 'door', 'device_id'])
        .where('station_id', '=', demo.demo.stations[0]!.id)
        .where('number', '=', door)
        .executeTakeFirstOrThrow();
      expect(compartment).toEqual({ presence: 0, door: 'closed', device_id: null });

      await demo.close();
      demo = undefined;
    },
  );
});

describe('cubby start', () => {
  it(
    'gives the demo one dashboard account per role, which sign in and see their own role and campus',
    { timeout: 180_000 },
    async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'cubby-demo-accounts-'));
      demo = await startDemo(testConfig(dataDir), { actDelayMs: 50 });
      const accounts = demo.demo.accounts ?? [];
      expect(accounts.map((a) => a.role).sort()).toEqual(['auditor', 'district_admin', 'site_admin', 'technician']);
      for (const account of accounts) {
        expect(account.password.length).toBeGreaterThanOrEqual(12);
        const login = await fetch(`${demo.server.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: account.email, password: account.password }),
        });
        expect(login.status, account.email).toBe(200);
        const { user } = (await login.json()) as { user: { role: string; siteIds: string[] | null } };
        expect(user.role).toBe(account.role);
        expect(user.siteIds === null).toBe(account.campus === null);
      }
      // Passwords are stored as argon2id hashes only.
      const hashes = await demo.server.cubby.db.selectFrom('users').select('password_hash').execute();
      expect(hashes.every((h) => h.password_hash?.startsWith('$argon2id$'))).toBe(true);
    },
  );
});
