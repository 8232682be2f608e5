/**
 * `npm run bench:import`: a generated OneRoster 1.1 package (100,000 students,
 * 5,000 staff, 60 campuses) and a device CSV of 150,000 rows, each imported as
 * a dry run, applied, and applied again (nothing to change), on SQLite and
 * PostgreSQL. Each database runs in a child process of its own so its peak
 * RSS is its own. Last lines: one JSON object per database.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, migrateToLatest, type Dialect } from '@cubby/db';
import { startPgCluster } from '@cubby/db/pg-cluster';
import { Keys, runImport, type ImportRequest } from '@cubby/server';
import { manifestText, orgColumns, users11Columns } from '@cubby/server/testing/oneroster';

const students = Number(process.env.BENCH_STUDENTS ?? 100_000);
const staff = Number(process.env.BENCH_STAFF ?? 5_000);
const campuses = Number(process.env.BENCH_CAMPUSES ?? 60);
const deviceCount = Number(process.env.BENCH_DEVICES ?? 150_000);
const dialects = (process.env.BENCH_DBS ?? 'sqlite,postgres').split(',') as Dialect[];

async function writeLines(path: string, header: readonly string[], count: number, row: (i: number) => string[]): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${header.join(',')}\n`);
  let chunk: string[] = [];
  for (let i = 0; i < count; i++) {
    chunk.push(
      row(i)
        .map((v) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v))
        .join(','),
    );
    if (chunk.length === 5_000) {
      if (!out.write(`${chunk.join('\n')}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = [];
    }
  }
  if (chunk.length) out.write(`${chunk.join('\n')}\n`);
  await new Promise<void>((resolve, reject) => out.end(() => resolve()).on('error', reject));
}

async function generate(dir: string): Promise<{ roster: string; devices: string }> {
  const roster = join(dir, 'roster');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  mkdirSync(roster);
  const files = {
    'orgs.csv': { mode: 'bulk' as const },
    'users.csv': { mode: 'bulk' as const },
    'enrollments.csv': { mode: 'absent' as const },
  };
  writeFileSync(join(roster, 'manifest.csv'), manifestText({ version: '1.1', files }));
  await writeLines(join(roster, 'orgs.csv'), orgColumns, campuses + 1, (i) =>
    i === 0 ? ['d', '', '', 'Bench USD', 'district', '', ''] : [`sch-${i}`, '', '', `Campus ${i}`, 'school', '', 'd'],
  );
  const col = (values: Record<string, string>) => users11Columns.map((c) => values[c] ?? '');
  await writeLines(join(roster, 'users.csv'), users11Columns, students + staff, (i) =>
    i < students
      ? col({
          sourcedId: `stu-${i}`,
          enabledUser: 'true',
          orgSourcedIds: `sch-${1 + (i % campuses)}`,
          role: 'student',
          userIds: `{LDAP:s${i}},{badge:${5_000_000 + i}}`,
          givenName: `Given${i % 97}`,
          familyName: `Family${i % 89}`,
          identifier: `${300_000 + i}`,
          grades: String(1 + (i % 12)).padStart(2, '0'),
        })
      : col({
          sourcedId: `staff-${i}`,
          enabledUser: 'true',
          orgSourcedIds: `sch-${1 + (i % campuses)}`,
          role: 'teacher',
          userIds: `{badge:${9_000_000 + i}}`,
          givenName: `Staff${i % 31}`,
          familyName: `Member${i % 37}`,
        }),
  );
  const devices = join(dir, 'devices.csv');
  const deviceHeader = [
    'asset_tag',
    'serial',
    'model',
    'pool',
    'campus',
    'owner_student_number',
    'purchase_date',
    'warranty_end',
    'condition',
    'notes',
  ];
  await writeLines(devices, deviceHeader, deviceCount, (i) => {
    const owned = i < students;
    return [
      `CB-${i}`,
      `SN${7_000_000 + i}`,
      i % 3 ? 'Dell Chromebook 3110' : 'Lenovo 300e Gen 4',
      owned ? 'assigned' : 'loaner',
      `Campus ${1 + (i % campuses)}`,
      owned ? `${300_000 + i}` : '',
      '2025-08-01',
      '2028-07-31',
      'good',
      '',
    ];
  });
  return { roster, devices };
}

/** One database: dry run, apply, re-run of the roster and then the devices. */
async function runOne(dialect: Dialect, url: string, roster: string, devices: string): Promise<void> {
  const cubby = connect({ url, poolSize: 4 });
  await migrateToLatest(cubby);
  const keys = new Keys('bench-secret-bench-secret-bench-secret-00');
  const time = async (what: string, request: Omit<ImportRequest, 'operator'>, rows: number) => {
    const start = performance.now();
    const outcome = await runImport(cubby, keys, { ...request, operator: 'cli' });
    const s = (performance.now() - start) / 1000;
    if (outcome.problems.length)
      throw new Error(`${what}: ${outcome.problems.length} problems, first: ${JSON.stringify(outcome.problems[0])}`);
    console.log(
      `${dialect} ${what.padEnd(16)} ${s.toFixed(1).padStart(6)} s  ${Math.round(rows / s)
        .toLocaleString('en-US')
        .padStart(9)} rows/s  ${JSON.stringify(outcome.counts)}`,
    );
    return s;
  };
  const people = students + staff;
  await time('roster dry run', { kind: 'oneroster', path: roster, dryRun: true }, people);
  const rosterApply = await time('roster apply', { kind: 'oneroster', path: roster, dryRun: false }, people);
  const deviceApply = await time('devices apply', { kind: 'devices', path: devices, dryRun: false }, deviceCount);
  const rosterRerun = await time('roster re-run', { kind: 'oneroster', path: roster, dryRun: false }, people);
  const deviceRerun = await time('devices re-run', { kind: 'devices', path: devices, dryRun: false }, deviceCount);
  await cubby.close();
  const result = {
    bench: 'import',
    db: dialect,
    people,
    devices: deviceCount,
    apply_s: Math.round((rosterApply + deviceApply) * 10) / 10,
    rerun_s: Math.round((rosterRerun + deviceRerun) * 10) / 10,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  console.log(`RESULT ${JSON.stringify(result)}`);
}

const [, , mode, dialectArg, urlArg, rosterArg, devicesArg] = process.argv;
if (mode === '--one') {
  await runOne(dialectArg as Dialect, urlArg!, rosterArg!, devicesArg!);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'cubby-bench-import-'));
  const started = performance.now();
  const { roster, devices } = await generate(dir);
  console.log(
    `generated ${students + staff} people at ${campuses} campuses and ${deviceCount} devices in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  const results: string[] = [];
  for (const dialect of dialects) {
    const cluster = dialect === 'postgres' ? await startPgCluster() : undefined;
    const url = cluster ? cluster.url : join(dir, 'bench.db');
    const child = spawnSync(
      process.execPath,
      [
        ...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE] : []),
        '--import',
        'tsx',
        import.meta.filename,
        '--one',
        dialect,
        url,
        roster,
        devices,
      ],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, LOG_LEVEL: 'silent' },
      },
    );
    cluster?.stop();
    const lines = child.stdout.trim().split('\n');
    for (const line of lines) if (!line.startsWith('RESULT ')) console.log(line);
    const result = lines.find((l) => l.startsWith('RESULT '));
    if (child.status !== 0 || !result) throw new Error(`${dialect} bench failed (exit ${child.status})`);
    results.push(result.slice('RESULT '.length));
  }
  rmSync(dir, { recursive: true, force: true });
  for (const r of results) console.log(r);
}
