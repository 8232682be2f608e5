import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { countUsers, findFirstDistrict } from '@cubby/db';
import { Keys } from '@cubby/server';
import { SimAutopilot, startStation, type RunningStation } from '@cubby/station';
import type { Command } from 'commander';
import { pino } from 'pino';
import { loadCliConfig, type CliConfig } from '../config.js';
import { openDatabase } from '../database.js';
import { demoBank, requireSocat, type DemoBank } from '../demo/banks.js';
import { seedDemoAccounts, seedDemoDistrict, type DemoDistrict } from '../demo/seed.js';
import { closeOnSignal, runServer, type RunningServer } from './serve.js';
import { kioskAppDir } from '../kiosk-app.js';

/**
 * `npm start`: the whole product on one machine — SQLite, a demo district,
 * the server and one simulated locker bank per station, with its kiosk API.
 */
export function registerDemoCommands(program: Command): void {
  program
    .command('start')
    .description('run the demo: server, demo district and simulated stations')
    .option('--serial-sim', 'run each station on the real Kerong driver and a simulated serial lock board (needs socat)')
    .action(async (options: { serialSim?: boolean }) => {
      // The banner with the URLs matters more than request logs here; LOG_LEVEL still wins.
      await runDemo(loadCliConfig({ logLevel: 'warn', mode: 'demo' }), { serialSim: options.serialSim === true });
    });

  program
    .command('demo')
    .description('manage the demo data')
    .option('--reset', 'delete the demo database and credentials and start over')
    .action(async (options: { reset?: boolean }) => {
      const config = loadCliConfig();
      if (!options.reset) {
        console.log('use `cubby demo --reset` to start the demo over, `npm start` to run it');
        return;
      }
      for (const file of (existsSync(config.dataDir) ? readdirSync(config.dataDir) : []).filter((f) =>
        /^(cubby\.db|station-\d+-journal\.db)(-wal|-shm)?$|^demo\.json$/.test(f),
      )) {
        rmSync(join(config.dataDir, file), { force: true });
      }
      console.log(`demo data removed from ${config.dataDir}; \`npm start\` creates it anew`);
    });
}

export interface DemoOptions {
  /** Every station on the Kerong driver and a simulated serial board (socat pty pair) instead of the in-memory bank. */
  serialSim?: boolean;
  /** How long the simulated student waits at an open door. Default 2000. */
  actDelayMs?: number;
}

export interface DemoStation {
  station: RunningStation;
  autopilot: SimAutopilot;
  bank: DemoBank;
  name: string;
  site: string;
}

export interface RunningDemo {
  demo: DemoDistrict;
  server: RunningServer;
  stations: DemoStation[];
  staticDir: string | undefined;
  /** Stops the autopilots, the stations, their banks and the server. */
  close(): Promise<void>;
}

/** The demo district from demo.json, made on the first run (and given its dashboard accounts once). */
async function demoDistrict(config: CliConfig, demoFile: string): Promise<DemoDistrict> {
  let demo: DemoDistrict;
  const cubby = await openDatabase(config.server.databaseUrl);
  const hasDistrict = (await findFirstDistrict(cubby.db)) !== undefined;
  if (hasDistrict && existsSync(demoFile)) {
    demo = JSON.parse(readFileSync(demoFile, 'utf8')) as DemoDistrict;
    // A demo made before dashboard sign-in: give it its accounts once.
    if (!demo.accounts && (await countUsers(cubby.db)) === 0) {
      demo.accounts = await seedDemoAccounts(cubby);
      writeFileSync(demoFile, JSON.stringify(demo, null, 2), { mode: 0o600 });
    }
  } else if (hasDistrict) {
    await cubby.close();
    throw new Error(`${config.server.databaseUrl} has data but no ${demoFile}; run \`cubby demo --reset\` or \`cubby serve\``);
  } else {
    console.log('creating the demo district…');
    demo = await seedDemoDistrict(cubby, new Keys(config.server.secret));
    // Demo credentials only: a real district enrolls stations and never stores tokens in clear.
    writeFileSync(demoFile, JSON.stringify(demo, null, 2), { mode: 0o600 });
  }
  await cubby.close();
  return demo;
}

/** The demo district (created on first run), the server and one station per demo station. */
export async function startDemo(config: CliConfig, options: DemoOptions = {}): Promise<RunningDemo> {
  if (options.serialSim) requireSocat();
  const demoFile = join(config.dataDir, 'demo.json');
  const demo = await demoDistrict(config, demoFile);

  const running = await runServer(config);
  const stations: DemoStation[] = [];
  const log = pino({ name: 'cubby-station', level: config.server.logLevel });
  // `npm start` builds the kiosk app first; without it the stations serve their API only.
  const staticDir = kioskAppDir();
  const close = async (): Promise<void> => {
    for (const s of stations) {
      s.autopilot.stop();
      await s.station.close();
      await s.bank.close();
    }
    await running.close();
  };
  try {
    for (const [i, s] of demo.stations.entries()) {
      const bank = await demoBank(running.cubby, s.id, options.serialSim === true, log);
      let station: RunningStation;
      try {
        station = await startStation({
          serverUrl: running.url,
          token: s.token,
          driver: bank.driver,
          logger: log,
          kioskPort: config.demoStationPortBase === 0 ? 0 : config.demoStationPortBase + i,
          ...(staticDir ? { staticDir } : {}),
          // Each simulated station keeps its own offline journal beside the database.
          journalPath: join(config.dataDir, `station-${i + 1}-journal.db`),
        });
      } catch (error) {
        await bank.driver.close();
        await bank.close();
        throw error;
      }
      // Simulated students act two seconds after a door opens.
      const autopilot = new SimAutopilot(station.agent, bank.hands, { actDelayMs: options.actDelayMs ?? 2000 });
      stations.push({ station, autopilot, bank, name: s.name, site: s.siteName });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { demo, server: running, stations, staticDir, close };
}

async function runDemo(config: CliConfig, options: DemoOptions): Promise<void> {
  const { demo, server: running, stations, staticDir, close } = await startDemo(config, options);
  const serial = stations.filter((s) => s.bank.kind === 'serial');
  const lines = [
    '',
    'Cubby demo is running',
    `  API + interactive docs : ${running.url}/docs   (API token: ${demo.apiToken})`,
    `  OpenAPI document       : ${running.url}/openapi.json`,
    `  Dashboard              : ${running.url}/dashboard/   sign in as (demo passwords, in ${join(config.dataDir, 'demo.json')}):`,
    ...(demo.accounts ?? []).map(
      (a) => `    ${a.role.padEnd(15)} ${a.email.padEnd(34)} ${a.password}${a.campus ? `  (${a.campus})` : ''}`,
    ),
    staticDir
      ? '  Station kiosks (open one in a browser; type a demo badge number + Enter to "scan"):'
      : '  Station kiosk APIs (no kiosk web app: run `npm run build`):',
    ...stations.map(
      (s) => `    ${s.station.kioskUrl.padEnd(24)} ${s.site} — ${s.name}${s.bank.kind === 'serial' ? '  [serial board]' : ''}`,
    ),
    serial.length > 0
      ? `  Lock boards            : ${serial.map((s) => s.name).join(', ')} on the Kerong driver and a simulated serial board (socat pty pair)`
      : '  Lock boards            : in-memory simulation (`npm start -- --serial-sim` for the Kerong driver on a simulated serial board)',
    '  Demo badges            :',
    ...demo.badges.map(
      (b) => `    badge ${b.badge.padEnd(9)} ${b.name}${b.pin ? ` (student number ${b.studentNumber}, PIN ${b.pin})` : ''}`,
    ),
    '  Technician badges      : (technician mode at any station of their campus)',
    ...(demo.technicians ?? []).map((t) => `    badge ${t.badge.padEnd(9)} ${t.name} (${t.campus})`),
    '  Single-use tasks       : (the badge opens exactly that door; /dashboard/tasks lists them)',
    ...(demo.tasks ?? []).map(
      (t) =>
        `    badge ${t.badge.padEnd(9)} ${t.name}: ${t.kind === 'pick_up' ? `pick up a new Chromebook from door ${t.compartment}` : 'drop off their Chromebook'} at ${t.station}`,
    ),
    `  Data                   : ${config.server.databaseUrl} (cubby demo --reset starts over)`,
    '',
  ];
  console.log(lines.join('\n'));
  closeOnSignal(close);
}
