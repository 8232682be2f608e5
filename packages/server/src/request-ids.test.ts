import { Writable } from 'node:stream';
import { createTestDb, testDialects } from '@cubby/db/testing';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, type CubbyServer } from './app.js';
import { loadServerConfig } from './config.js';

/** The server with its log lines captured as parsed JSON. */
async function serverWithLogCapture(dialect: (typeof testDialects)[number]) {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const cubby = await createTestDb(dialect);
  const config = loadServerConfig({ CUBBY_SECRET: 'test-secret-test-secret-test-secret-0123', CUBBY_MODE: 'development' });
  const server = await buildServer({ config, cubby, log: pino({ level: 'info' }, sink) });
  return { server, cubby, lines };
}

describe.each(testDialects)('request ids on %s', (dialect) => {
  let built: Awaited<ReturnType<typeof serverWithLogCapture>>;
  let server: CubbyServer;
  beforeAll(async () => {
    built = await serverWithLogCapture(dialect);
    server = built.server;
  });
  afterAll(async () => {
    await server?.app.close();
    await built?.cubby.close();
  });

  const idsLoggedFor = async (header: string | undefined) => {
    built.lines.length = 0;
    await server.app.inject({ method: 'GET', url: '/health', headers: header === undefined ? {} : { 'x-request-id': header } });
    return [...new Set(built.lines.map((l) => l.reqId))];
  };

  it("keeps a proxy's short, safe x-request-id", async () => {
    expect(await idsLoggedFor('edge-7f3a.91_b')).toEqual(['edge-7f3a.91_b']);
  });

  it.each([
    ['too long', 'a'.repeat(65)],
    ['a forged log line', 'x" level=error msg="admin signed in'],
    ['a huge value', 'A'.repeat(100_000)],
    ['odd characters', 'id<script>'],
  ])('replaces an x-request-id that is %s with its own, and never logs it', async (_what, header) => {
    const ids = await idsLoggedFor(header);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(built.lines)).not.toContain(header.slice(0, 40));
  });

  it('gives a request without one its own id', async () => {
    const [first] = await idsLoggedFor(undefined);
    const [second] = await idsLoggedFor(undefined);
    expect(first).toMatch(/^[0-9a-f-]{36}$/);
    expect(second).not.toBe(first);
  });
});
