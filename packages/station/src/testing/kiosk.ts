import type { FastifyInstance } from 'fastify';
import { buildKioskApi, type KioskApiOptions } from '../kiosk-api.js';
import { aLinkedStation, type LinkedStation, type LinkedStationSetup } from './linked-station.js';

const cleanups: (() => Promise<unknown>)[] = [];

/** Runs `cleanup` at the next `closeKiosks()`, after what was registered later. */
export function onKioskCleanup(cleanup: () => Promise<unknown>): void {
  cleanups.push(cleanup);
}

/** For `afterEach`: closes every kiosk API and station the test built, newest first. */
export async function closeKiosks(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** A station linked to a fake server, with its kiosk API built (not listening). */
export async function aKiosk(
  setup: LinkedStationSetup = {},
  options: Partial<KioskApiOptions> = {},
): Promise<LinkedStation & { api: FastifyInstance }> {
  const station = await aLinkedStation(setup);
  const api = buildKioskApi({ agent: station.agent, ...options });
  cleanups.push(
    () => station.close(),
    () => api.close(),
  );
  return { ...station, api };
}

export const borrowTransaction = {
  id: 'tx-9',
  kind: 'borrow',
  status: 'in_progress',
  compartment: 1,
  purpose: 'take_loaner',
} as const;
