import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listenKioskApi } from './kiosk-api.js';
import { aKiosk, borrowTransaction, closeKiosks, onKioskCleanup } from './testing/kiosk.js';

afterEach(closeKiosks);

describe('kiosk event stream', () => {
  it('streams the station status, then transaction and door updates, as server-sent events', async () => {
    const { api, server, bank } = await aKiosk();
    const stream = await openEvents(await listenKioskApi(api, 0));
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await stream.seen('status');
    server.send({ type: 'transaction', transaction: { ...borrowTransaction, status: 'completed' } });
    await stream.seen('transaction');
    bank.forceOpen(2);
    await stream.seen('door');
    expect(stream.data('status')).toMatchObject({ online: true, stationId: 'station-1' });
    expect(stream.data('transaction')).toEqual({
      type: 'transaction',
      transaction: { ...borrowTransaction, status: 'completed' },
    });
    expect(stream.data('door')).toEqual({ type: 'door', compartment: 2, door: 'open' });
  });

  it('sends a kiosk that reconnects with Last-Event-ID what it missed, in order, then the status', async () => {
    const { api, server, bank, agent } = await aKiosk();
    const url = await listenKioskApi(api, 0);
    const first = await openEvents(url);
    await first.seen('status');
    server.send({ type: 'transaction', transaction: borrowTransaction });
    await first.seen('transaction');
    const lastId = first.events.find((e) => e.event === 'transaction')!.id!;
    first.close();
    // While the kiosk is away: the door opens, the transaction finishes.
    bank.forceOpen(2);
    server.send({ type: 'transaction', transaction: { ...borrowTransaction, status: 'completed' } });
    await agent.waitForTransaction(borrowTransaction.id);
    await until(() => first.closed);
    const again = await openEvents(url, lastId);
    await again.seen('status');
    const missed = again.events.filter((e) => e.id !== undefined);
    expect(missed.map((e) => [e.event, e.data])).toEqual([
      ['door', { type: 'door', compartment: 2, door: 'open' }],
      ['transaction', { type: 'transaction', transaction: { ...borrowTransaction, status: 'completed' } }],
    ]);
    expect(again.events.at(-1)?.event).toBe('status');
    // A stream from before this agent run (or none at all) gets no replay, only the status.
    const stranger = await openEvents(url, 'another-run.1');
    await stranger.seen('status');
    expect(stranger.events.map((e) => e.event)).toEqual(['status']);
  });

  it('keeps the heartbeat on the event stream', async () => {
    const { api } = await aKiosk({}, { sseHeartbeatMs: 20 });
    const stream = await openEvents(await listenKioskApi(api, 0));
    await until(() => stream.raw.includes(': heartbeat'));
  });
});

interface SentEvent {
  id: string | undefined;
  event: string;
  data: unknown;
}

/** Follows `/api/events` the way EventSource reads it: frames of `field: value` lines. */
async function openEvents(url: string, lastEventId?: string) {
  const response = await new Promise<IncomingMessage>((resolve, reject) =>
    httpRequest(`${url}/api/events`, { headers: lastEventId ? { 'last-event-id': lastEventId } : {} }, resolve)
      .on('error', reject)
      .end(),
  );
  const stream = {
    contentType: response.headers['content-type'],
    events: [] as SentEvent[],
    raw: '',
    closed: false,
    seen: (name: string) => until(() => stream.events.some((e) => e.event === name)),
    data: (name: string) => stream.events.find((e) => e.event === name)?.data,
    close: () => response.destroy(),
  };
  onKioskCleanup(async () => response.destroy());
  response.setEncoding('utf8');
  let buffer = '';
  response.on('close', () => (stream.closed = true));
  response.on('data', (chunk: string) => {
    stream.raw += chunk;
    buffer += chunk;
    const frames = buffer.split('\n\n');
    buffer = frames.pop() ?? '';
    for (const frame of frames) {
      const fields = new Map(
        frame.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      if (!fields.has('event')) continue;
      stream.events.push({ id: fields.get('id'), event: fields.get('event')!, data: JSON.parse(fields.get('data') ?? 'null') });
    }
  });
  return stream;
}

async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the event stream');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
