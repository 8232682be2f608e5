import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The package-boundary lint of ARCHITECTURE.md §2, run on small snippets through
 * ESLint's Node API with the repository's own config, so a rule that stops
 * firing (a renamed glob, a broken pattern) fails here rather than going quiet.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The rules (but unused names) that report on `code` as if it were the file at `path`, with their severities. */
async function reportsOn(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  // Snippets import names they never use: that finding is not what is tested here.
  return result!.messages
    .filter((m) => m.ruleId !== '@typescript-eslint/no-unused-vars')
    .map((m) => `${m.severity === 2 ? 'error' : 'warn'} ${m.ruleId}`);
}

const boundary = 'error @typescript-eslint/no-restricted-imports';
const relative = 'error cubby/no-relative-into-other-package';

describe('package boundaries', () => {
  it.each<[string, string, string]>([
    ['packages/core/src/loan/x.ts', "import { findDevice } from '@cubby/db';", 'core imports nothing of ours'],
    ['packages/core/src/loan/x.ts', "import type { Hello } from '@cubby/protocol';", 'not even types'],
    ['packages/core/src/loan/x.ts', "import { readFileSync } from 'node:fs';", 'core has no Node I/O'],
    ['packages/core/src/loan/x.ts', "import net from 'net';", 'nor by the bare name'],
    ['packages/core/src/loan/x.ts', "import { spawn } from 'node:child_process';", 'no processes'],
    ['packages/core/src/loan/x.ts', "import { Kysely } from 'kysely';", 'no query builder'],
    ['packages/core/src/loan/x.ts', "import pg from 'pg';", 'no database driver'],
    ['packages/core/src/loan/x.ts', "import Database from 'better-sqlite3';", 'no SQLite'],
    ['packages/core/src/loan/x.ts', "export { Temporal } from 'node:http';", 'a re-export counts too'],
    ['packages/db/src/x.ts', "import { buildServer } from '@cubby/server';", 'db imports only core'],
    ['packages/db/src/x.ts', "import { helloMessage } from '@cubby/protocol';", 'db does not speak the protocol'],
    ['packages/protocol/src/x.ts', "import type { Tx } from '@cubby/db';", 'protocol imports only core'],
    ['packages/station/src/x.ts', "import { Keys } from '@cubby/server';", 'station imports only core and protocol'],
    ['packages/station/src/x.ts', "import { findDevice } from '@cubby/db';", 'the station has its own journal, not the db'],
    ['packages/server/src/app.ts', "import { SimBank } from '@cubby/station';", 'server imports core, db, protocol'],
    ['packages/server/src/app.ts', "import { main } from '@cubby/cli';", 'nor the command line'],
    ['packages/server/src/x.test.ts', "import { LiveProvider } from '@cubby/web';", 'server tests do not import web'],
    ['packages/web/src/dashboard/x.tsx', "import { canSeeSite } from '@cubby/core';", 'web takes only types from core'],
    ['packages/web/src/kiosk/x.ts', "import { protocolVersion } from '@cubby/protocol';", 'and from protocol'],
    [
      'packages/web/src/dashboard/x.tsx',
      "import { nextDevice } from '@cubby/core/device';",
      'any other subpath of core is code too',
    ],
    ['packages/web/src/dashboard/x.tsx', "import type { Tx } from '@cubby/db';", 'and nothing at all from db'],
    ['packages/web/src/dashboard/x.tsx', "import type { CubbyServer } from '@cubby/server';", 'or server'],
    ['packages/web/src/kiosk/x.ts', "import { StationAgent } from '@cubby/station';", 'or station'],
    ['packages/web/src/dashboard/x.tsx', "import { readFileSync } from 'node:fs';", 'and no Node in the browser'],
  ])('%s: %s is refused (%s)', async (path, code) => {
    expect(await reportsOn(path, code)).toContain(boundary);
  });

  it.each<[string, string]>([
    ['packages/core/src/loan/x.ts', "import { Temporal } from 'temporal-polyfill';"],
    ['packages/core/src/loan/x.ts', "import { DomainError } from '../errors.js';"],
    ['packages/db/src/x.ts', "import { canSeeSite } from '@cubby/core';"],
    ['packages/protocol/src/x.ts', "import { deviceStatuses } from '@cubby/core';"],
    ['packages/station/src/x.ts', "import { offlineBadgeHash } from '@cubby/protocol/offline-keys';"],
    ['packages/server/src/app.ts', "import { findDevice } from '@cubby/db';\nimport { helloMessage } from '@cubby/protocol';"],
    ['packages/server/src/x.test.ts', "import { SimBank } from '@cubby/station';"],
    ['packages/server/src/testing/x.ts', "import { SimBank } from '@cubby/station';"],
    ['packages/web/src/dashboard/x.tsx', "import type { FleetCounts } from '@cubby/core';"],
    ['packages/web/src/dashboard/x.tsx', "import { deviceStatuses } from '@cubby/core/enumerations';"],
    ['packages/web/src/kiosk/x.ts', "import { type KioskAction, type CompartmentReading } from '@cubby/protocol';"],
    ['packages/web/scripts/x.ts', "import { readFileSync } from 'node:fs';"],
    ['packages/cli/src/x.ts', "import { SimBank } from '@cubby/station';\nimport { buildServer } from '@cubby/server';"],
  ])('%s: %s is allowed', async (path, code) => {
    expect(await reportsOn(path, `${code}\nexport {};\n`)).toEqual([]);
  });

  it.each<[string, string]>([
    ['packages/core/src/loan/x.ts', "import { findDevice } from '../../../db/src/devices.js';"],
    ['packages/web/src/dashboard/x.tsx', "export * from '../../../server/src/app.js';"],
    ['packages/station/src/x.ts', "export { helloMessage } from '../../protocol/src/index.js';"],
    ['packages/server/src/x.ts', "const app = await import('../../cli/src/main.js');"],
  ])('%s: a relative path into another package (%s) is refused', async (path, code) => {
    expect(await reportsOn(path, code)).toContain(relative);
  });
});

describe('size limits', () => {
  const lines = (n: number) => Array.from({ length: n }, (_, i) => `  total += ${i};`).join('\n');

  it('a source file over 300 lines and a function over 60 lines are warned about', async () => {
    const long = `export function long(): number {\n  let total = 0;\n${lines(57)}\n  return total;\n}\n`;
    expect(await reportsOn('packages/core/src/x.ts', long)).toEqual(['warn max-lines-per-function']);
    const short = `export function short(): number {\n  let total = 0;\n${lines(56)}\n  return total;\n}\n`;
    expect(await reportsOn('packages/core/src/x.ts', short)).toEqual([]);
    const big = Array.from({ length: 301 }, (_, i) => `export const n${i} = ${i};`).join('\n');
    expect(await reportsOn('packages/server/src/x.ts', big)).toEqual(['warn max-lines']);
  });

  it('tests are not held to the size limits', async () => {
    const big = Array.from({ length: 301 }, (_, i) => `export const n${i} = ${i};`).join('\n');
    expect(await reportsOn('packages/server/src/x.test.ts', big)).toEqual([]);
  });
});
