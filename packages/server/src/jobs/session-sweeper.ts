import { deleteEndedThrottles, deleteExpiredSessions, type CubbyDb } from '@cubby/db';
import type { Logger } from 'pino';

/**
 * Expired dashboard sessions are refused on sight, and a throttle whose
 * window has ended counts nothing; this only keeps both tables small.
 */
export function startSessionSweeper(cubby: CubbyDb, log: Logger, intervalMs = 3600_000): { stop(): void } {
  const sweep = () =>
    Promise.all([deleteExpiredSessions(cubby.db, Date.now()), deleteEndedThrottles(cubby.db, Date.now())]).catch(
      (error: unknown) => log.error({ err: error }, 'sweeping expired sessions and throttles failed'),
    );
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
