import { sealAuditChain, type CubbyDb } from '@cubby/db';
import type { Logger } from 'pino';

/**
 * Seals PostgreSQL audit events into the hash chain a moment after they
 * commit (SQLite seals as it writes, so there it has nothing to do).
 */
export function startAuditSealer(cubby: CubbyDb, log: Logger, intervalMs = 100): { stop(): Promise<void> } {
  if (cubby.dialect !== 'postgres') return { stop: async () => {} };
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(() => {
    running = running.then(async () => {
      if (stopped) return;
      try {
        await sealAuditChain(cubby);
      } catch (error) {
        log.error({ err: error }, 'sealing the audit chain failed');
      }
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
      stopped = true;
      // Whatever committed last is sealed before the server goes.
      await sealAuditChain(cubby).catch((error: unknown) => log.error({ err: error }, 'final audit seal failed'));
    },
  };
}
