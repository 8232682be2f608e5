import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Keys } from '@cubby/server';
import { SimAutopilot, SimBank, startStation, type RunningStation } from '@cubby/station';
import type { CubbyDb } from '@cubby/db';
import type { Command } from 'commander';
import { pino } from 'pino';
import { loadCliConfig, type CliConfig } from '../config.js';
import { openDatabase } from '../database.js';
import { seedDemoDistrict, type DemoDistrict } from '../demo/seed.js';
import { closeOnSignal, runServer } from './serve.js';
import { kioskAppDir } from '../kiosk-app.js';

/**
 * `npm start`: the whole product on one machine — SQLite, a demo district,
 * the server and one simulated locker bank per station, with its kiosk API.
 */
export function registerDemoCommands(program: Command): void {
  program
    .command('start')
    .description('run the demo: server, demo district and simulated stations')
    .action(async () => {
      // The banner with the URLs matters more than request logs here; LOG_LEVEL still wins.
      await runDemo(loadCliConfig({ logLevel: 'warn' }));
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
      for (const file of (existsSync(config.dataDir) ? readdirSync(config.dataDir) : []).filter((f) => /^(cubby\.db|station-\d+-journal\.db)(-wal|-shm)?$|^demo\.json$/.test(f))) {
        rmSync(join(config.dataDir, file), { force: true });
      }
      console.log(`demo data removed from ${config.dataDir}; \`npm start\` creates it anew`);
    });
}


async function runDemo(config: CliConfig): Promise<void> {
  const demoFile = join(config.dataDir, 'demo.json');
  let demo: DemoDistrict;
  {
    const cubby = await openDatabase(config.server.databaseUrl);
    const hasDistrict = await cubby.db.selectFrom('districts').select('id').executeTakeFirst();
    if (hasDistrict && existsSync(demoFile)) {
      demo = JSON.parse(readFileSync(demoFile, 'utf8')) as DemoDistrict;
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
  }

  const running = await runServer(config);
  const stations: { station: RunningStation; autopilot: SimAutopilot; name: string; site: string }[] = [];
  const log = pino({ name: 'cubby-station', level: config.server.logLevel });
  // `npm start` builds the kiosk app first; without it the stations serve their API only.
  const staticDir = kioskAppDir();
  for (const [i, s] of demo.stations.entries()) {
    const bank = await simBankFromDatabase(running.cubby, s.id);
    const station = await startStation({
      serverUrl: running.url, token: s.token, driver: bank, kioskPort: config.demoStationPortBase + i, logger: log,
      ...(staticDir ? { staticDir } : {}),
      // Each simulated station keeps its own offline journal beside the database.
      journalPath: join(config.dataDir, `station-${i + 1}-journal.db`),
    });
    // Simulated students act two seconds after a door opens.
    const autopilot = new SimAutopilot(station.agent, bank, { actDelayMs: 2000 });
    stations.push({ station, autopilot, name: s.name, site: s.siteName });
  }

  const lines = [
    '',
    'Cubby demo is running',
    `  API + interactive docs : ${running.url}/docs   (API token: ${demo.apiToken})`,
    `  OpenAPI document       : ${running.url}/openapi.json`,
    `  Admin (live stations)  : ${running.url}/admin   (paste the API token above)`,
    staticDir ? '  Station kiosks (open one in a browser; type a demo badge number + Enter to "scan"):' : '  Station kiosk APIs (no kiosk web app: run `npm run build`):',
    ...stations.map((s) => `    ${s.station.kioskUrl.padEnd(24)} ${s.site} — ${s.name}`),
    '  Demo badges            :',
    ...demo.badges.map((b) => `    badge ${b.badge.padEnd(9)} ${b.name}${b.pin ? ` (student number ${b.studentNumber}, PIN ${b.pin})` : ''}`),
    `  Data                   : ${config.server.databaseUrl} (cubby demo --reset starts over)`,
    '',
  ];
  console.log(lines.join('\n'));
  closeOnSignal(async () => {
    for (const s of stations) {
      s.autopilot.stop();
      await s.station.close();
    }
    await running.close();
  });
}

/** A simulated bank whose doors hold what the database says they hold. */
async function simBankFromDatabase(cubby: CubbyDb, stationId: string): Promise<SimBank> {
  const rows = await cubby.db
    .selectFrom('compartments')
    .leftJoin('devices', 'devices.id', 'compartments.device_id')
    .select(['compartments.number', 'compartments.has_charger', 'compartments.presence', 'devices.battery_percent'])
    .where('compartments.station_id', '=', stationId)
    .orderBy('compartments.number')
    .execute();
  return new SimBank({
    compartments: rows.map((r) => ({
      number: r.number,
      hasCharger: r.has_charger === 1,
      ...(r.presence === 1 ? { device: { battery: r.battery_percent ?? 80 } } : {}),
    })),
  });
}
