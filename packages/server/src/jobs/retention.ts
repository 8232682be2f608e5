import type { CubbyDb } from '@cubby/db';
import type { Logger } from 'pino';
import { eraseInactivePeople } from '../services/privacy/retention.js';

/**
 * Applies the district's retention setting (docs/privacy.md) every few
 * hours: with it off (the default) a pass reads one row and does nothing.
 * `clock` is the time a pass counts years from (tests give a fake one).
 */
export function startRetentionJob(
  cubby: CubbyDb,
  log: Logger,
  options: { intervalMs?: number; clock?: () => number } = {},
): { stop(): Promise<void>; idle(): Promise<void> } {
  const clock = options.clock ?? Date.now;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const timer = setInterval(
    () => {
      running = running.then(async () => {
        if (stopped) return;
        try {
          const erased = await eraseInactivePeople(cubby, log, clock());
          if (erased > 0) log.info({ erased }, 'retention erased people inactive past the district setting');
        } catch (error) {
          log.error({ err: error }, 'the retention pass failed');
        }
      });
    },
    options.intervalMs ?? 6 * 3600_000,
  );
  timer.unref();
  return {
    /** Resolves once the pass under way (if any) is done. */
    async idle() {
      await running;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
