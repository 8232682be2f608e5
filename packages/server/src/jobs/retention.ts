import type { CubbyDb } from '@cubby/db';
import type { Logger } from 'pino';
import { eraseInactivePeople } from '../services/privacy/retention.js';
import { everyInterval, type Job } from './interval.js';

/**
 * Applies the district's retention setting (docs/privacy.md) every few
 * hours: with it off (the default) a pass reads one row and does nothing.
 * `clock` is the time a pass counts years from (tests give a fake one).
 */
export function startRetentionJob(cubby: CubbyDb, log: Logger, options: { intervalMs?: number; clock?: () => number } = {}): Job {
  const clock = options.clock ?? Date.now;
  return everyInterval(options.intervalMs ?? 6 * 3600_000, log, 'the retention pass failed', async () => {
    const erased = await eraseInactivePeople(cubby, log, clock());
    if (erased > 0) log.info({ erased }, 'retention erased people inactive past the district setting');
  });
}
