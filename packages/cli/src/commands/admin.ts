import { newId, setStationTokenHash, verifyAuditChain } from '@cubby/db';
import { hashToken, newToken } from '@cubby/server';
import type { Command } from 'commander';
import { loadCliConfig } from '../config.js';
import { openDatabase } from '../database.js';

/** Operator commands: migrations, audit verification, credentials. */
export function registerAdminCommands(program: Command): void {
  program
    .command('migrate')
    .description('run database migrations and exit')
    .action(async () => {
      const config = loadCliConfig();
      const cubby = await openDatabase(config.server.databaseUrl);
      await cubby.close();
      console.log(`database is up to date (${cubby.dialect})`);
    });

  const audit = program.command('audit').description('audit log tools');
  audit
    .command('verify')
    .description('check the audit hash chain and report the first broken link')
    .action(async () => {
      const config = loadCliConfig();
      const cubby = await openDatabase(config.server.databaseUrl);
      const result = await verifyAuditChain(cubby);
      await cubby.close();
      if (result.ok) {
        const pending = result.unsealed ? ` (${result.unsealed} newer events not yet sealed: the server seals them within a second)` : '';
        console.log(`audit chain intact: ${result.events} events, head ${result.lastHash.slice(0, 16)}…${pending}`);
      } else {
        console.error(`audit chain BROKEN at event #${result.brokenAtSeq}: ${result.reason} (${result.events} events verified before it)`);
        process.exitCode = 1;
      }
    });

  const token = program.command('token').description('API tokens for integrations');
  token
    .command('create')
    .requiredOption('--name <name>', 'what the token is for')
    .description('create a read API token (printed once)')
    .action(async (options: { name: string }) => {
      const config = loadCliConfig();
      const cubby = await openDatabase(config.server.databaseUrl);
      const value = newToken('cat');
      await cubby.db
        .insertInto('api_tokens')
        .values({ id: newId(), name: options.name, token_hash: hashToken(value), scopes: JSON.stringify(['read']), created_at: Date.now(), revoked_at: null, last_used_at: null })
        .execute();
      await cubby.close();
      console.log(value);
    });

  program
    .command('station-token')
    .description('issue a new token for a station (the old one stops working)')
    .requiredOption('--station <id>', 'station id')
    .action(async (options: { station: string }) => {
      const config = loadCliConfig();
      const cubby = await openDatabase(config.server.databaseUrl);
      const value = newToken('cst');
      const ok = await setStationTokenHash(cubby.db, options.station, hashToken(value));
      await cubby.close();
      if (!ok) {
        console.error(`no station with id ${options.station}`);
        process.exitCode = 1;
        return;
      }
      console.log(value);
    });
}
