import { describeProblem } from '@cubby/core';
import { Keys, runImport, type ImportKind, type ImportOutcome } from '@cubby/server';
import type { Command } from 'commander';
import { loadCliConfig } from '../config.js';
import { openDatabase } from '../database.js';

interface ImportOptions {
  dryRun?: boolean;
  badgeType?: string;
  badgeColumn?: string;
  timeZone?: string;
  schoolDayEnd?: string;
}

/**
 * `cubby import oneroster|people|devices`: a roster or inventory file into
 * the district (docs/importing.md). Prints what it did or, with --dry-run,
 * would do, and every problem with its file, line and column; exits 1 when
 * the file was refused (nothing was written).
 */
export function registerImportCommands(program: Command): void {
  const command = program.command('import').description('import a roster or an inventory (docs/importing.md)');
  const kinds: { kind: ImportKind; argument: string; description: string }[] = [
    {
      kind: 'oneroster',
      argument: '<path>',
      description: 'a OneRoster 1.1 or 1.2 CSV package: a zip or a folder with manifest.csv',
    },
    { kind: 'people', argument: '<file>', description: 'a plain people CSV (students and staff)' },
    { kind: 'devices', argument: '<file>', description: 'a device CSV (asset tag, serial, model, pool, campus, owner…)' },
  ];
  for (const { kind, argument, description } of kinds) {
    const sub = command
      .command(kind)
      .argument(argument)
      .description(description)
      .option('--dry-run', 'show what would change, write nothing');
    if (kind === 'oneroster')
      sub
        .option('--badge-type <type>', 'the userIds type that carries the badge number', 'badge')
        .option('--badge-column <column>', 'a users.csv column with the badge, when userIds has none')
        .option('--time-zone <zone>', "new campuses' time zone (default: the first campus's, else UTC)")
        .option('--school-day-end <hh:mm>', "new campuses' end of the school day (default: the first campus's, else 15:30)");
    sub.action(async (path: string, options: ImportOptions) => importFile(kind, path, options));
  }
}

async function importFile(kind: ImportKind, path: string, options: ImportOptions): Promise<void> {
  const config = loadCliConfig();
  const cubby = await openDatabase(config.server.databaseUrl);
  const started = Date.now();
  try {
    const outcome = await runImport(cubby, new Keys(config.server.secret), {
      kind,
      path,
      operator: 'cli',
      dryRun: options.dryRun === true,
      badges: { badgeIdType: options.badgeType ?? 'badge', badgeColumn: options.badgeColumn ?? null },
      campuses: {
        ...(options.timeZone ? { timeZone: options.timeZone } : {}),
        ...(options.schoolDayEnd ? { schoolDayEnd: options.schoolDayEnd } : {}),
      },
      // Progress on standard error, so standard output stays the summary.
      progress: (file, rows) => process.stderr.write(`  read ${file}: ${rows.toLocaleString('en-US')} rows\n`),
    });
    process.stdout.write(summary(outcome, Date.now() - started));
    if (outcome.status === 'refused') process.exitCode = 1;
  } finally {
    await cubby.close();
  }
}

export function summary(outcome: ImportOutcome, ms: number): string {
  const lines = [`${outcome.fileName}: ${verdict[outcome.status]} (import ${outcome.id}, ${(ms / 1000).toFixed(1)} s)`];
  const width = Math.max(...Object.keys(outcome.counts).map((k) => k.length), 8);
  if (Object.keys(outcome.counts).length) lines.push(`  ${''.padEnd(width)}  created  updated  deactivated  unchanged`);
  for (const [what, c] of Object.entries(outcome.counts))
    lines.push(
      `  ${what.padEnd(width)}  ${pad(c.created, 7)}  ${pad(c.updated, 7)}  ${pad(c.deactivated, 11)}  ${pad(c.unchanged, 9)}`,
    );
  if (outcome.problems.length) {
    lines.push(`${outcome.problems.length} problem${outcome.problems.length > 1 ? 's' : ''}; nothing was written:`);
    for (const p of outcome.problems) lines.push(`  ${describeProblem(p)}${p.column ? ` (column ${p.column})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}

const verdict: Record<ImportOutcome['status'], string> = {
  previewed: 'dry run, nothing written',
  applied: 'applied',
  refused: 'refused',
};
const pad = (n: number, width: number) => String(n).padStart(width);
