/**
 * SQL statements per kiosk flow. Runs the server in this process (`buildServer`,
 * the code `cubby serve` runs) on a CubbyDb whose Kysely `log` hook counts every
 * statement the driver executes — transaction control (BEGIN, SAVEPOINT,
 * RELEASE, COMMIT) included — then drives one station through a few flows.
 *
 * Background statements (PostgreSQL's audit sealer polls every 100 ms) are
 * measured over an idle window first and subtracted at that rate; the sealer's
 * extra work for the flows' own events stays in (it is a cost of the flow).
 * The policy snapshot rebuild (5 s after a station's change, amortised over
 * every flow at that station) is put off for the count, so it is left out.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogEvent } from 'kysely';
import { connect, type Dialect } from '@cubby/db';
import { buildServer, createLogger, loadServerConfig } from '@cubby/server';
import { benchSecret, type BenchStation } from './fixture.js';
import { closeSimStations, flow, startSimStations, type Act } from './kiosk-flows.js';
import { round, sleep } from './stats.js';

const kinds = ['select', 'insert', 'update', 'delete', 'other', 'tx_control'] as const;
type Kind = (typeof kinds)[number];
type Counts = Record<Kind | 'statements' | 'transactions' | 'write_transactions' | 'commits', number>;

const zero = (): Counts => ({
  statements: 0,
  select: 0,
  insert: 0,
  update: 0,
  delete: 0,
  other: 0,
  tx_control: 0,
  transactions: 0,
  write_transactions: 0,
  commits: 0,
});

/**
 * Counts what the driver runs, by kind, and the transactions (units of work):
 * BEGINs on PostgreSQL; on SQLite, where one connection runs everything in
 * order, the outermost savepoints of group-committed batches, and which of them
 * wrote.
 */
export class StatementCounter {
  #counts = zero();
  #unitWrote: boolean | undefined;
  #depth = 0;
  /** When set, each statement's text (one line, shortened) is appended. */
  trace: string[] | undefined;

  constructor(private readonly dialect: Dialect) {}

  readonly log = (event: LogEvent): void => this.count(event.query.sql);

  count(sql: string): void {
    const text = sql.trimStart().toLowerCase();
    const word = /^[a-z]+/.exec(text)?.[0] ?? '';
    const c = this.#counts;
    c.statements++;
    this.trace?.push(sql.replace(/\s+/g, ' ').slice(0, 200));
    if (['begin', 'start', 'savepoint', 'release', 'commit', 'rollback'].includes(word)) {
      c.tx_control++;
      this.#control(word, text);
      return;
    }
    const kind: Kind = ['select', 'insert', 'update', 'delete'].includes(word) ? (word as Kind) : 'other';
    c[kind]++;
    const writes = kind === 'insert' || kind === 'update' || kind === 'delete' || /\b(insert|update|delete)\b/.test(text);
    if (writes && this.#unitWrote === false) this.#unitWrote = true;
  }

  #control(word: string, text: string): void {
    const c = this.#counts;
    if (word === 'commit') c.commits++;
    if (this.dialect === 'postgres') {
      // Connections interleave here, so only BEGINs are told apart (savepoints nest inside them).
      if (word === 'begin' || word === 'start') c.transactions++;
      return;
    }
    // One connection, statements in order. Group commit wraps units in a BEGIN IMMEDIATE
    // batch; a unit is an outermost SAVEPOINT (or a plain BEGIN).
    if (text.startsWith('begin immediate') || text.startsWith('rollback to')) return;
    if (word === 'begin' || word === 'start' || word === 'savepoint') {
      if (this.#depth++ === 0) {
        c.transactions++;
        this.#unitWrote = false;
      }
    } else if (this.#depth > 0 && --this.#depth === 0) {
      if (this.#unitWrote === true) c.write_transactions++;
      this.#unitWrote = undefined;
    }
  }

  snapshot(): Counts {
    return { ...this.#counts };
  }
}

const minus = (a: Counts, b: Counts, scale = 1): Counts =>
  Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Counts] - b[k as keyof Counts] * scale])) as Counts;

export interface FlowStatements {
  statements_per_flow: number;
  statements_per_borrow: number;
  statements_per_return: number;
  statements_by_kind: Record<Kind, number>;
  transactions_per_flow: number;
  /** Exact on SQLite only (one connection); null on PostgreSQL. */
  write_transactions_per_flow: number | null;
  commits_per_flow: number;
  background_statements_per_s: number;
  counted_flows: number;
}

/**
 * Runs `flows` flows at `spec` (a station no other server is using) and counts
 * their statements; `traceFile` receives the counted flows' statements, in order.
 */
export async function countStatements(
  url: string,
  dialect: Dialect,
  spec: BenchStation,
  flows: number,
  traceFile?: string,
): Promise<FlowStatements> {
  const counter = new StatementCounter(dialect);
  const cubby = connect({ url, poolSize: 20, log: counter.log });
  const config = loadServerConfig({
    ...process.env,
    DATABASE_URL: url,
    CUBBY_SECRET: benchSecret,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    CUBBY_POLICY_SNAPSHOT_DELAY_MS: '600000',
    CUBBY_POLICY_SNAPSHOT_SECONDS: '86400',
  });
  const server = await buildServer({ config, cubby, log: createLogger('error') });
  try {
    await server.app.listen({ host: config.host, port: 0 });
    const address = server.app.server.address();
    if (typeof address !== 'object' || !address) throw new Error('statement count: the in-process server has no address');
    const [station] = await startSimStations(`http://127.0.0.1:${address.port}`, [spec]);
    try {
      for (let i = 0; i < 2; i++) await flow(station!); // warm-up: sessions, caches
      const idleStart = counter.snapshot();
      const idleMs = 2000;
      await sleep(idleMs);
      const idle = minus(counter.snapshot(), idleStart);
      const background = (ms: number) =>
        Object.fromEntries(Object.entries(idle).map(([k, v]) => [k, (v / idleMs) * ms])) as Counts;

      const acts: Record<Act, number> = { borrow: 0, return: 0 };
      if (traceFile) counter.trace = [];
      const start = counter.snapshot();
      const startedAt = performance.now();
      let mark = { at: startedAt, counts: start };
      for (let i = 0; i < flows; i++) {
        await flow(station!, (act) => {
          const now = { at: performance.now(), counts: counter.snapshot() };
          acts[act] += now.counts.statements - mark.counts.statements - background(now.at - mark.at).statements;
          mark = now;
        });
      }
      const elapsed = performance.now() - startedAt;
      if (traceFile) {
        mkdirSync(dirname(traceFile), { recursive: true });
        writeFileSync(traceFile, counter.trace!.join('\n') + '\n');
      }
      const net = minus(minus(counter.snapshot(), start), background(elapsed));
      const per = (n: number) => round(n / flows, 1);
      if (net.statements <= 0)
        throw new Error(
          'statement count: the counter saw no statements; does the server still run its SQL through the CubbyDb it is given?',
        );
      return {
        statements_per_flow: per(net.statements),
        statements_per_borrow: per(acts.borrow),
        statements_per_return: per(acts.return),
        statements_by_kind: Object.fromEntries(kinds.map((k) => [k, per(net[k])])) as Record<Kind, number>,
        transactions_per_flow: per(net.transactions),
        write_transactions_per_flow: dialect === 'sqlite' ? per(net.write_transactions) : null,
        commits_per_flow: per(net.commits),
        background_statements_per_s: round((idle.statements / idleMs) * 1000, 1),
        counted_flows: flows,
      };
    } finally {
      await closeSimStations(station ? [station] : []);
      // The gateway records the disconnect after the socket closes; let it finish before the database goes.
      await sleep(500);
    }
  } finally {
    await server.app.close();
    await cubby.close();
  }
}
