import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transactionKinds } from '@cubby/core/enumerations';
import { describe, expect, it } from 'vitest';
import { dashboardEn } from '../packages/web/src/i18n/dashboard-en.js';

/**
 * The dashboard's audit log reads each event as a sentence: an action the
 * server starts writing without one would show as its bare code. (The words
 * live in web, the actions in server; this test reads both.)
 */
const sentences = dashboardEn.audit.sentences as unknown as Record<string, Record<string, string>>;
const hasSentence = (action: string) => {
  const [area, verb] = action.split('.');
  return typeof sentences[area!]?.[verb!] === 'string';
};

describe('audit sentences', () => {
  it('every action the server writes has a sentence of its own', () => {
    const server = fileURLToPath(new URL('../packages/server/src', import.meta.url));
    const sources = (readdirSync(server, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.startsWith('testing'))
      .map((f) => readFileSync(join(server, f), 'utf8'))
      .join('\n');
    // The quoted action names on the lines that write an event (`action: …`, `audit(…`).
    const lines = sources.split('\n').filter((line) => /\baction: |\baudit\(/.test(line));
    const written = new Set(lines.flatMap((line) => [...line.matchAll(/'([a-z_]+\.[a-z_]+)'/g)].map((m) => m[1]!)));
    for (const kind of transactionKinds) written.add(`transaction.${kind}_started`);
    for (const decision of ['applied', 'flagged', 'rejected']) written.add(`journal.entry_${decision}`);
    expect(written.size).toBeGreaterThan(40);
    const missing = [...written].filter((action) => !hasSentence(action));
    expect(missing).toEqual([]);
  });
});
