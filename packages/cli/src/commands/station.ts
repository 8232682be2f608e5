import {
  KerongDriver,
  SimAutopilot,
  SimBank,
  loadBoardConfig,
  startStation,
  stationCredential,
  type LockDriver,
  type Logger,
} from '@cubby/station';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { stationEnv } from '../config.js';
import { kioskAppDir } from '../kiosk-app.js';
import { closeOnSignal } from './serve.js';

/** Parses "1-9,12" into [1..9, 12]. */
export function parseDoorList(value: string): number[] {
  const out = new Set<number>();
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`"${part}" is not a door number or range`);
    const from = Number(m[1]);
    const to = Number(m[2] ?? m[1]);
    for (let n = from; n <= to; n++) out.add(n);
  }
  return [...out];
}

interface StationOptions {
  server: string;
  token?: string;
  enroll?: string;
  tokenFile: string;
  driver: string;
  kioskPort: string;
  compartments: string;
  loaded: string;
  autopilot?: string;
  serial?: string;
  baud: string;
  boardConfig?: string;
  kioskDir?: string;
  journal: string;
}

/** The journal file; its folder, made if needed, is readable by the station's user only (the journal does that). */
function journalFile(path: string): string {
  return resolve(path);
}

/** Opens the Kerong RS-485 driver from `--serial`, `--baud` and `--board-config`. */
async function openKerongDriver(options: StationOptions, logger: Logger): Promise<KerongDriver> {
  if (!options.serial) throw new Error('--driver kerong needs --serial <device>, e.g. --serial /dev/ttyUSB0');
  if (!options.boardConfig) throw new Error('--driver kerong needs --board-config <file> (see docs/hardware.md)');
  const baudRate = Number(options.baud);
  if (!Number.isInteger(baudRate) || baudRate <= 0) {
    throw new Error(`--baud must be a baud rate such as 19200, got "${options.baud}"`);
  }
  const config = await loadBoardConfig(options.boardConfig);
  return KerongDriver.open({ path: options.serial, baudRate, config, logger });
}

/** The simulated bank of `--driver sim`: `--compartments` doors with chargers, `--loaded` ones holding a loaner. */
function simBank(options: StationOptions): SimBank {
  const loaded = new Set(parseDoorList(options.loaded));
  return new SimBank({
    compartments: Array.from({ length: Number(options.compartments) }, (_, i) => ({
      number: i + 1,
      hasCharger: true,
      ...(loaded.has(i + 1) ? { device: { battery: 90 } } : {}),
    })),
  });
}

export function registerStationCommand(program: Command): void {
  program
    .command('station')
    .description('run a station agent that connects out to the server')
    .requiredOption('--server <url>', 'server base URL, e.g. http://cubby.district.org:8080')
    .option('--enroll <code>', 'first start: the one-time enrollment code from the dashboard (Settings → Stations)')
    .option('--token-file <file>', 'where the station keeps its credential after enrolling', './data/station-token')
    .option('--token <token>', "this station's token, instead of enrolling (e.g. from `cubby station-token`)")
    .option('--driver <name>', 'lock board driver: sim | kerong', 'sim')
    .option('--kiosk-port <port>', 'kiosk API port on 127.0.0.1', '8787')
    .option('--compartments <n>', 'sim: number of doors', '12')
    .option('--loaded <doors>', 'sim: doors that start with a loaner inside, e.g. 1-9', '')
    .option('--autopilot <ms>', 'sim: act like a student this many ms after a door opens (omit for manual)')
    .option('--serial <device>', 'kerong: RS-485 adapter, e.g. /dev/ttyUSB0')
    .option('--baud <rate>', 'kerong: baud rate (8N1)', '19200')
    .option(
      '--journal <file>',
      'offline journal (SQLite); keeps the station serving when the link is down',
      './data/station-journal.db',
    )
    .option('--kiosk-dir <dir>', 'kiosk web app to serve (default: the built packages/web/dist/kiosk)')
    .option('--board-config <file>', 'kerong: JSON file mapping compartments to board address and lock (docs/hardware.md)')
    .action(async (options: StationOptions) => {
      if (options.driver !== 'sim' && options.driver !== 'kerong') {
        throw new Error(`unknown driver "${options.driver}" (available: sim, kerong)`);
      }
      const logger = pino({ name: 'cubby-station', level: stationEnv().logLevel });
      const token = await stationCredential({
        serverUrl: options.server,
        token: options.token,
        enrollCode: options.enroll,
        tokenFile: resolve(options.tokenFile),
      });
      const kiosk = kioskAppDir(options.kioskDir);
      const bank = options.driver === 'sim' ? simBank(options) : undefined;
      const driver: LockDriver = bank ?? (await openKerongDriver(options, logger));
      const station = await startStation({
        serverUrl: options.server,
        token,
        driver,
        kioskPort: Number(options.kioskPort),
        logger,
        ...(kiosk ? { staticDir: kiosk } : {}),
        journalPath: journalFile(options.journal),
      }).catch(async (error: unknown) => {
        // An open serial port would keep the process alive after the failure.
        await driver.close();
        throw error;
      });
      const autopilot =
        bank && options.autopilot ? new SimAutopilot(station.agent, bank, { actDelayMs: Number(options.autopilot) }) : undefined;
      console.log(`station kiosk API on ${station.kioskUrl}`);
      closeOnSignal(async () => {
        autopilot?.stop();
        await station.close();
      });
    });
}
