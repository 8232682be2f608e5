import { isDomainError } from '@cubby/core';
import type { GoogleSyncRun } from '@cubby/protocol/api';
import { createLogger, operatorServices, runGoogleSync } from '@cubby/server';
import type { Command } from 'commander';
import { loadCliConfig } from '../config.js';
import { openDatabase } from '../database.js';

/**
 * `cubby sync google`: the dashboard's "Sync now" for an operator with the
 * server's database and secret (the stored key is sealed under it). The run
 * is recorded and audited like any other, with the command line as its actor.
 */
export function registerSyncCommands(program: Command): void {
  const sync = program.command('sync').description('pull from a connected system (docs/google.md)');
  sync
    .command('google')
    .option('--json', 'print the run as JSON')
    .description('sync Chrome OS devices (and battery telemetry) from Google Admin now')
    .action(async (options: { json?: boolean }) => {
      const config = loadCliConfig().server;
      const cubby = await openDatabase(config.databaseUrl);
      const log = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel);
      try {
        const run = await runGoogleSync(operatorServices(cubby, config, log), { trigger: 'cli' });
        process.stdout.write(options.json ? `${JSON.stringify(run, null, 2)}\n` : summary(run));
      } catch (error) {
        console.error(isDomainError(error) ? `Google sync failed: ${error.message}` : String(error));
        process.exitCode = 1;
      } finally {
        await cubby.close();
      }
    });
}

function summary(run: GoogleSyncRun): string {
  const c = run.counts;
  const lines = [
    `Google sync ${run.id}: ${c.seen} Chrome OS devices in Google, ${c.matched} matched (${c.updated} updated)`,
    `  only in Google (not created): ${c.onlyInGoogle}; only in Cubby: ${c.onlyInCubby}; duplicates: ${c.duplicates}`,
    `  telemetry: ${c.telemetrySeen} devices, ${c.batteryReadings} newer charge readings, ${c.batteryWorn} worn batteries`,
    ...run.unmatched.onlyInGoogle.map((d) => `  in Google only: serial ${d.serial ?? '—'}, asset tag ${d.assetTag ?? '—'}`),
    ...run.unmatched.onlyInCubby.map((d) => `  in Cubby only: asset tag ${d.assetTag ?? '—'}, serial ${d.serial ?? '—'}`),
  ];
  return `${lines.join('\n')}\n`;
}
