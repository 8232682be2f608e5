/**
 * Entry of a station agent run as a child process by the kill tests
 * (faults/station-kills.ts): `startStation` on a SimBank whose devices are kept in a
 * JSON file, so that after a SIGKILL the restarted agent finds the doors as
 * the "building" left them. The CLI's sim keeps its bank in memory only, which
 * would make a restart lie about what is inside each door.
 *
 *   node --import tsx station-child.ts <config.json>
 *   config: { serverUrl, token, journalPath, statePath, compartments }
 *
 * Every door is closed at start: whoever stood at an open door while the agent
 * was down has shut it by the time it boots (what a real reboot looks like).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { SimAutopilot, SimBank, silentLogger, startStation } from '@cubby/station';

interface ChildConfig {
  serverUrl: string;
  token: string;
  journalPath: string;
  statePath: string;
  compartments: number;
}

/** Door number → battery of the device inside; absent = empty. */
type BankState = Record<string, number>;

const config = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as ChildConfig;
const state = JSON.parse(readFileSync(config.statePath, 'utf8')) as BankState;

const bank = new SimBank({
  compartments: Array.from({ length: config.compartments }, (_, i) => {
    const battery = state[String(i + 1)];
    return { number: i + 1, hasCharger: true, ...(battery !== undefined ? { device: { battery } } : {}) };
  }),
  openTimeoutMs: 2_000,
});

/** Written synchronously (temp file + rename) before the agent can report the change, so a kill never loses it. */
function persist(): void {
  const out: BankState = {};
  for (const n of bank.numbers) {
    const device = bank.device(n);
    if (device) out[String(n)] = device.battery;
  }
  writeFileSync(`${config.statePath}.tmp`, JSON.stringify(out));
  renameSync(`${config.statePath}.tmp`, config.statePath);
}
bank.on('presence', persist);
bank.on('door', persist);

const station = await startStation({
  serverUrl: config.serverUrl,
  token: config.token,
  driver: bank,
  kioskPort: 0,
  logger: silentLogger,
  journalPath: config.journalPath,
  minBackoffMs: 20,
  maxBackoffMs: 200,
  requestTimeoutMs: 10_000,
});
// The student: takes or puts at each door as soon as it opens, then shuts it.
new SimAutopilot(station.agent, bank, { actDelayMs: 0 });
process.stdout.write(`${JSON.stringify({ kioskUrl: station.kioskUrl })}\n`);
process.on('SIGTERM', () => {
  void station.close().then(() => process.exit(0));
});
