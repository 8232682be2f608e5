import { randomBytes } from 'node:crypto';
import { isPermission, isStaffRole, permissions, siteScopedRoles, staffRoles } from '@cubby/core';
import { findFirstDistrict, insertApiToken, insertUser, newId, setStationTokenHash, verifyAuditChain } from '@cubby/db';
import { hashPassword, hashToken, newToken } from '@cubby/server';
import type { Command } from 'commander';
import { loadCliConfig } from '../config.js';
import { openDatabase } from '../database.js';

/** Operator commands: migrations, audit verification, credentials. */
export function registerAdminCommands(program: Command): void {
  registerMigrateCommand(program);
  registerAuditCommands(program);
  registerTokenCommands(program);
  registerUserCommands(program);
  registerStationTokenCommand(program);
}

/** `cubby migrate`. */
function registerMigrateCommand(program: Command): void {
  program
    .command('migrate')
    .description('run database migrations and exit')
    .action(async () => {
      const config = loadCliConfig();
      const cubby = await openDatabase(config.server.databaseUrl);
      await cubby.close();
      console.log(`database is up to date (${cubby.dialect})`);
    });
}

/** `cubby audit verify`: walks the hash chain. */
function registerAuditCommands(program: Command): void {
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
        const pending = result.unsealed
          ? ` (${result.unsealed} newer events not yet sealed: the server seals them within a second)`
          : '';
        console.log(`audit chain intact: ${result.events} events, head ${result.lastHash.slice(0, 16)}…${pending}`);
      } else {
        console.error(
          `audit chain BROKEN at event #${result.brokenAtSeq}: ${result.reason} (${result.events} events verified before it)`,
        );
        process.exitCode = 1;
      }
    });
}

/** `cubby token create`: an API token for an integration, printed once. */
function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('API tokens for integrations');
  token
    .command('create')
    .requiredOption('--name <name>', 'what the token is for')
    .option('--scope <permission...>', `what it may do (${permissions.join(', ')})`, ['fleet:read'])
    .option('--site <id...>', 'limit it to these campuses (default: the whole district)')
    .description('create an API token (printed once); the dashboard can do the same under Settings')
    .action(async (options: { name: string; scope: string[]; site?: string[] }) => {
      const unknown = options.scope.filter((s) => !isPermission(s));
      if (unknown.length > 0) {
        console.error(`unknown scope ${unknown.join(', ')}; choose from ${permissions.join(', ')}`);
        process.exitCode = 1;
        return;
      }
      const config = loadCliConfig();
      const cubby = await openDatabase(config.server.databaseUrl);
      const value = newToken('cat');
      await insertApiToken(cubby.db, {
        id: newId(),
        name: options.name,
        token_hash: hashToken(value),
        scopes: options.scope,
        created_at: Date.now(),
        siteIds: options.site ?? null,
      });
      await cubby.close();
      console.log(value);
    });
}

/** `cubby user create`: a dashboard user with a generated password, printed once. */
function registerUserCommands(program: Command): void {
  const user = program.command('user').description('dashboard users (the dashboard manages them too)');
  user
    .command('create')
    .description('add a dashboard user; prints a generated password once (e.g. to recover when no district admin can sign in)')
    .requiredOption('--email <email>', 'sign-in email')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', staffRoles.join(' | '))
    .option('--site <id...>', 'campuses, for site_admin and technician')
    .action(async (options: { email: string; name: string; role: string; site?: string[] }) => {
      if (!isStaffRole(options.role) || (siteScopedRoles.has(options.role) && !options.site?.length)) {
        console.error(`--role must be one of ${staffRoles.join(', ')}; site_admin and technician need --site`);
        process.exitCode = 1;
        return;
      }
      const config = loadCliConfig();
      const cubby = await openDatabase(config.server.databaseUrl);
      try {
        const district = await findFirstDistrict(cubby.db);
        if (!district) throw new Error('no district in this database yet: run first-run setup in the dashboard instead');
        const password = randomBytes(12).toString('base64url');
        await insertUser(cubby.db, {
          id: newId(),
          districtId: district.id,
          email: options.email,
          name: options.name,
          role: options.role,
          siteIds: siteScopedRoles.has(options.role) ? options.site! : null,
          passwordHash: await hashPassword(password),
          now: Date.now(),
        });
        console.log(`created ${options.email} (${options.role}); password: ${password}`);
      } catch (error) {
        console.error(error instanceof Error ? error.message : String(error));
        process.exitCode = 1;
      } finally {
        await cubby.close();
      }
    });
}

/** `cubby station-token`: a new station credential (the old one stops working). */
function registerStationTokenCommand(program: Command): void {
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
