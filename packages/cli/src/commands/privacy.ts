import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { isDomainError } from '@cubby/core';
import { findPersonRecord, type CubbyDb } from '@cubby/db';
import { erasePerson, exportPerson, privacyExportCsv, resolvePerson } from '@cubby/server';
import type { Command } from 'commander';
import { loadCliConfig } from '../config.js';
import { openDatabase } from '../database.js';

/**
 * `cubby privacy export|erase`: the dashboard's privacy export and erasure
 * (docs/privacy.md) for an operator with the server's database. Both are
 * audited with the command line as their actor.
 */
export function registerPrivacyCommands(program: Command): void {
  const privacy = program.command('privacy').description("a person's privacy export and erasure (docs/privacy.md)");
  privacy
    .command('export')
    .argument('<person>', 'student number or person id')
    .option('--format <format>', 'json | csv', 'json')
    .option('--out <file>', 'write to this file (readable by its owner only) instead of standard output')
    .description('everything Cubby holds about one person')
    .action(async (person: string, options: { format: string; out?: string }) => {
      if (options.format !== 'json' && options.format !== 'csv') return fail('--format must be json or csv');
      const format = options.format;
      await withDatabase(async (cubby) => {
        const data = await exportPerson(cubby, 'cli', await resolvePerson({ db: cubby.db }, person), format);
        const text = format === 'csv' ? await privacyExportCsv(cubby.db, data) : `${JSON.stringify(data, null, 2)}\n`;
        if (options.out) writeFileSync(options.out, text, { mode: 0o600 });
        else process.stdout.write(text);
      });
    });
  privacy
    .command('erase')
    .argument('<person>', 'student number or person id')
    .option('--confirm <value>', "the person's student number (or id, without one) again; asked for when left out")
    .description("erase a person's names, numbers, badge and PIN, keeping their history under a pseudonym")
    .action(async (person: string, options: { confirm?: string }) => {
      await withDatabase(async (cubby) => {
        const personId = await resolvePerson({ db: cubby.db }, person);
        const confirm = options.confirm ?? (await ask(cubby, personId));
        const erasure = await erasePerson(cubby, 'cli', personId, confirm);
        console.log(`erased ${erasure.personId}: the history is kept as "${erasure.pseudonym}"`);
      });
    });
}

/** Asks at a terminal; without one, --confirm is required. */
async function ask(cubby: CubbyDb, personId: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error('not at a terminal: pass --confirm <student number>');
  const record = await findPersonRecord(cubby.db, personId);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const what = record?.studentNumber ? 'student number' : 'person id';
    return (await rl.question(`This cannot be undone. Type the ${what} of ${personId} to erase them: `)).trim();
  } finally {
    rl.close();
  }
}

async function withDatabase(work: (cubby: CubbyDb) => Promise<void>): Promise<void> {
  const cubby = await openDatabase(loadCliConfig().server.databaseUrl);
  try {
    await work(cubby);
  } catch (error) {
    fail(
      isDomainError(error)
        ? `${error.message}${error.details.reason ? ` (${String(error.details.reason)})` : ''}`
        : String(error),
    );
  } finally {
    await cubby.close();
  }
}

function fail(message: string): void {
  console.error(message.replace(/^Error: /, ''));
  process.exitCode = 1;
}
