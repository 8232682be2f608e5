import { afterEach, describe, expect, it } from 'vitest';
import { SimBank } from './drivers/sim.js';
import { startStation } from './start.js';
import { capturedLogger } from './testing/captured-logger.js';
import { ProtocolServer } from './testing/protocol-server.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('startStation', () => {
  it('links to the server, serves the kiosk API on 127.0.0.1 and stops everything on close', async () => {
    const token = 'start-token';
    const server = await ProtocolServer.start({ token, stationName: 'Main office' });
    cleanups.push(() => server.close());
    const driver = new SimBank({ compartments: [{ number: 1, hasCharger: true }] });
    const logger = capturedLogger();
    const station = await startStation({ serverUrl: server.url, token, driver, kioskPort: 0, logger, minBackoffMs: 20 });
    cleanups.push(() => station.close());
    expect(station.kioskUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await new Promise<void>((resolve) => (station.link.online ? resolve() : station.link.once('online', () => resolve())));

    const status = await (await fetch(`${station.kioskUrl}/api/station`)).json();
    expect(status).toMatchObject({ stationName: 'Main office', online: true, compartments: [{ number: 1, door: 'closed' }] });

    await station.close();
    expect(station.link.online).toBe(false);
    await expect(fetch(`${station.kioskUrl}/api/station`)).rejects.toThrow();
    await expect(driver.unlock(1, 300)).rejects.toMatchObject({ detail: 'the lock board is closed' });
    expect(logger.text()).not.toContain(token);
  });

  it('keeps running and retrying while the server cannot be reached', async () => {
    const driver = new SimBank({ compartments: [{ number: 1, hasCharger: false }] });
    const station = await startStation({
      serverUrl: 'http://127.0.0.1:9',
      token: 't',
      driver,
      kioskPort: 0,
      logger: capturedLogger(),
    });
    cleanups.push(() => station.close());
    const response = await fetch(`${station.kioskUrl}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ badge: '1234' }),
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'offline' });
  });
});
