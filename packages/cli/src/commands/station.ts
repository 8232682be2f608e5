import { SimAutopilot, SimBank, startStation } from '@cubby/station';
import type { Command } from 'commander';
import { pino } from 'pino';
import { stationEnv } from '../config.js';
import { closeOnSignal } from './serve.js';

/** Parses "1-9,12" into [1..9, 12]. */
export function parseDoorList(value: string): number[] {
  const out = new Set<number>();
  for (const part of value.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`"${part}" is not a door number or range`);
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    for (let n = from; n <= to; n++) out.add(n);
  }
  return [...out];
}

export function registerStationCommand(program: Command): void {
  program
    .command('station')
    .description('run a station agent that connects out to the server')
    .requiredOption('--server <url>', 'server base URL, e.g. http://cubby.district.org:8080')
    .requiredOption('--token <token>', 'this station\'s token (from enrollment or `cubby station-token`)')
    .option('--driver <name>', 'lock board driver: sim', 'sim')
    .option('--kiosk-port <port>', 'kiosk API port on 127.0.0.1', '8787')
    .option('--compartments <n>', 'sim: number of doors', '12')
    .option('--loaded <doors>', 'sim: doors that start with a loaner inside, e.g. 1-9', '')
    .option('--autopilot <ms>', 'sim: act like a student this many ms after a door opens (omit for manual)')
    .action(async (options: { server: string; token: string; driver: string; kioskPort: string; compartments: string; loaded: string; autopilot?: string }) => {
      if (options.driver !== 'sim') throw new Error(`unknown driver "${options.driver}" (available: sim)`);
      const count = Number(options.compartments);
      const loaded = new Set(parseDoorList(options.loaded));
      const bank = new SimBank({
        compartments: Array.from({ length: count }, (_, i) => ({ number: i + 1, hasCharger: true, ...(loaded.has(i + 1) ? { device: { battery: 90 } } : {}) })),
      });
      const station = await startStation({
        serverUrl: options.server,
        token: options.token,
        driver: bank,
        kioskPort: Number(options.kioskPort),
        logger: pino({ name: 'cubby-station', level: stationEnv().logLevel }),
      });
      const autopilot = options.autopilot ? new SimAutopilot(station.agent, bank, { actDelayMs: Number(options.autopilot) }) : undefined;
      console.log(`station kiosk API on ${station.kioskUrl}`);
      closeOnSignal(async () => {
        autopilot?.stop();
        await station.close();
      });
    });
}
