import { deleteExpiredSessions, type CubbyDb } from '@cubby/db';
import type { Logger } from 'pino';

/** Expired dashboard sessions are refused on sight; this only keeps the table small. */
export function startSessionSweeper(cubby: CubbyDb, log: Logger, intervalMs = 3600_000): { stop(): void } {
  const sweep = () =>
    deleteExpiredSessions(cubby.db, Date.now()).catch((error: unknown) =>
      log.error({ err: error }, 'sweeping expired sessions failed'),
    );
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
