import { pino } from 'pino';
import { StationAgent } from './agent.js';
import type { LockDriver } from './drivers/driver.js';
import { OfflineJournal } from './journal.js';
import { buildKioskApi, listenKioskApi, type KioskSettings } from './kiosk-api.js';
import { StationLink } from './link.js';
import type { Logger } from './logger.js';

export const defaultKioskPort = 8787;

export interface StartStationOptions {
  /** The server's base URL (http(s)://…); the link goes to `/station/link` on it. */
  serverUrl: string;
  /** This station's credential from enrollment. */
  token: string;
  driver: LockDriver;
  /** Port of the kiosk API on 127.0.0.1; 0 picks a free one. Default 8787. */
  kioskPort?: number;
  /** Pino or anything with the same four methods; default: pino JSON on stdout. */
  logger?: Logger;
  /** Sent in hello; the server refuses it when it does not match the token's station. */
  stationId?: string;
  agentVersion?: string;
  /** Built kiosk web app to serve at the kiosk URL. */
  staticDir?: string;
  /** The kiosk screen's language and sign-out timers. */
  kiosk?: KioskSettings;
  doorLeftOpenMs?: number;
  requestTimeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** SQLite file of the offline journal; without it the station serves nobody while its link is down. */
  journalPath?: string;
}

export interface RunningStation {
  agent: StationAgent;
  link: StationLink;
  /** Base URL of the kiosk API, e.g. http://127.0.0.1:8787. */
  kioskUrl: string;
  /** Stops the kiosk API, the agent, the link and the driver, in that order. */
  close(): Promise<void>;
}

/**
 * Starts one station: the agent on the given lock driver, its link to the
 * server (which keeps reconnecting on its own) and the kiosk API. Resolves once
 * the kiosk API listens; it does not wait for the server.
 */
export async function startStation(options: StartStationOptions): Promise<RunningStation> {
  const { driver } = options;
  const log: Logger = options.logger ?? pino({ name: 'cubby-station' });
  const link = new StationLink({
    serverUrl: options.serverUrl,
    token: options.token,
    readings: () => driver.readings(),
    logger: log,
    ...(options.stationId ? { stationId: options.stationId } : {}),
    ...(options.agentVersion ? { agentVersion: options.agentVersion } : {}),
    ...(options.minBackoffMs !== undefined ? { minBackoffMs: options.minBackoffMs } : {}),
    ...(options.maxBackoffMs !== undefined ? { maxBackoffMs: options.maxBackoffMs } : {}),
  });
  const journal = options.journalPath ? new OfflineJournal(options.journalPath) : undefined;
  const agent = new StationAgent({
    driver,
    link,
    logger: log,
    ...(journal ? { journal } : {}),
    ...(options.doorLeftOpenMs !== undefined ? { doorLeftOpenMs: options.doorLeftOpenMs } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  const kiosk = buildKioskApi({
    agent,
    logger: log,
    ...(options.staticDir ? { staticDir: options.staticDir } : {}),
    ...(options.kiosk ? { kiosk: options.kiosk } : {}),
  });
  let kioskUrl: string;
  try {
    await agent.start();
    kioskUrl = await listenKioskApi(kiosk, options.kioskPort ?? defaultKioskPort);
  } catch (error) {
    await kiosk.close();
    await agent.close();
    journal?.close();
    throw error;
  }
  link.start();
  log.info({ kioskUrl }, 'station started');

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await kiosk.close();
      await agent.close();
      await link.close();
      await driver.close();
      journal?.close();
      log.info('station stopped');
    })());
  return { agent, link, kioskUrl, close };
}
