/**
 * Simulated stations (real link, agent and kiosk API over a simulated bank, in
 * this process) and the borrow + return flow they run against a server.
 */
import { SimAutopilot, SimBank, silentLogger, startStation, type RunningStation } from '@cubby/station';
import type { BenchStation } from './fixture.js';
import { sleep, within } from './stats.js';

export interface SimStation {
  running: RunningStation;
  bank: SimBank;
  autopilot: SimAutopilot;
  spec: BenchStation;
  nextBadge: number;
}

export async function startSimStations(serverUrl: string, specs: BenchStation[]): Promise<SimStation[]> {
  const out: SimStation[] = [];
  for (const spec of specs) {
    const bank = new SimBank({
      compartments: Array.from({ length: spec.compartments }, (_, i) => ({
        number: i + 1,
        hasCharger: true,
        ...(spec.loaded.includes(i + 1) ? { device: { battery: 90 } } : {}),
      })),
    });
    const running = await startStation({
      serverUrl,
      token: spec.token,
      driver: bank,
      kioskPort: 0,
      logger: silentLogger,
      requestTimeoutMs: 30_000,
    });
    const autopilot = new SimAutopilot(running.agent, bank, { actDelayMs: 0 });
    out.push({ running, bank, autopilot, spec, nextBadge: 0 });
  }
  const deadline = Date.now() + 30_000;
  while (out.some((s) => !s.running.link.online)) {
    if (Date.now() > deadline) {
      const offline = out.filter((s) => !s.running.link.online).length;
      await closeSimStations(out);
      throw new Error(`${offline} of ${out.length} stations did not come online within 30 s of ${serverUrl}`);
    }
    await sleep(50);
  }
  return out;
}

export async function closeSimStations(stations: SimStation[]): Promise<void> {
  for (const s of stations) {
    s.autopilot.stop();
    await s.running.close();
  }
}

export type Act = 'borrow' | 'return';

/** Where a flow's time goes, in ms per phase, summed over the flows timed (BENCH_PHASES=1). */
export const phaseTimes: Record<string, number[]> = {};
const timed = (name: string, since: number): number => {
  const now = performance.now();
  (phaseTimes[name] ??= []).push(now - since);
  return now;
};

/**
 * One borrow + return at a station; returns the two request→unlock latencies
 * in ms. `afterAct` runs once each act's transaction has completed.
 */
export async function flow(station: SimStation, afterAct?: (act: Act) => void): Promise<number[]> {
  const { agent, link } = station.running;
  const badge = station.spec.badges[station.nextBadge++ % station.spec.badges.length]!;
  const latencies: number[] = [];
  for (const action of [{ kind: 'borrow', reason: 'forgotten' } as const, { kind: 'return' } as const]) {
    let at = performance.now();
    await agent.signIn({ badge });
    at = timed(`${action.kind}: sign-in`, at);
    const unlocked = new Promise<number>((resolve) => link.once('unlock', () => resolve(performance.now())));
    const sent = performance.now();
    const result = await agent.act(action);
    at = timed(`${action.kind}: request answered`, at);
    const id = result.transaction?.id;
    if (!id) throw new Error(`${action.kind} at ${station.spec.stationId} started no transaction: ${JSON.stringify(result)}`);
    const unlockedAt = await within(unlocked, 30_000, `unlock for ${action.kind} at ${station.spec.stationId}`);
    latencies.push(unlockedAt - sent);
    (phaseTimes[`${action.kind}: request → unlock`] ??= []).push(unlockedAt - sent);
    const end = await agent.waitForTransaction(id, (t) => t.status !== 'in_progress', 30_000);
    at = timed(`${action.kind}: answer → completed`, at);
    if (end.status !== 'completed') throw new Error(`${action.kind} ended ${end.status}: ${JSON.stringify(end.error)}`);
    afterAct?.(action.kind);
  }
  agent.signOut();
  return latencies;
}

/** Every station runs flows back to back for `seconds`; returns how many flows completed, and per second. */
export async function saturation(stations: SimStation[], seconds: number): Promise<{ count: number; perSecond: number }> {
  let flows = 0;
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    stations.map(async (s) => {
      while (performance.now() < until) {
        await flow(s);
        flows++;
      }
    }),
  );
  return { count: flows, perSecond: flows / ((performance.now() - start) / 1000) };
}

/** Each station starts a flow on a fixed schedule (open loop), so the offered load is steady. */
export async function steadyLoad(
  stations: SimStation[],
  flowsPerSecond: number,
  seconds: number,
): Promise<{ unlock: number[]; ping: number[] }> {
  const unlock: number[] = [];
  const ping: number[] = [];
  const intervalMs = (stations.length / flowsPerSecond) * 1000;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    stations.map(async (s, i) => {
      await sleep((i / stations.length) * intervalMs);
      const pending: Promise<void>[] = [];
      while (performance.now() < until) {
        const started = performance.now();
        // A no-op round trip on the same link, at the same load: the floor for latency.
        pending.push(s.running.link.ping().then((ms) => void ping.push(ms)));
        await flow(s).then((l) => void unlock.push(...l));
        await sleep(Math.max(0, intervalMs - (performance.now() - started)));
      }
      await Promise.all(pending);
    }),
  );
  return { unlock, ping };
}
