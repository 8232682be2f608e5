import { listGoogleConnections, recentGoogleSyncs } from '@cubby/db';
import { isDomainError } from '@cubby/core';
import type { Services } from '../services/deps.js';
import { runGoogleSync } from '../services/google/sync.js';
import type { ClientTuning } from '../services/google/connection.js';
import { everyInterval, type Job } from './interval.js';

/**
 * The scheduled Google sync: every `checkMs` it looks whether the district's
 * interval (the connection's `syncIntervalMinutes`; 0: on demand only) has
 * passed since the last run started, and runs one. The claim in the database
 * keeps it to one run at a time across server instances; a failed run is
 * recorded by the sync itself and logged here without its details' secrets.
 */
export function startGoogleSyncJob(
  services: Services,
  options: { checkMs?: number; clock?: () => number; tuning?: ClientTuning } = {},
): Job {
  const clock = options.clock ?? Date.now;
  return everyInterval(options.checkMs ?? 60_000, services.log, 'the Google sync schedule failed', async (stopped) => {
    for (const connection of await listGoogleConnections(services.cubby.db)) {
      if (stopped() || connection.sync_interval_minutes <= 0) continue;
      const [last] = await recentGoogleSyncs(services.cubby.db, connection.district_id, 1);
      if (last && last.started_at + connection.sync_interval_minutes * 60_000 > clock()) continue;
      try {
        const run = await runGoogleSync(services, { trigger: 'schedule', clock, ...options.tuning });
        services.log.info({ syncId: run.id, counts: run.counts }, 'scheduled Google sync done');
      } catch (error) {
        if (isDomainError(error)) services.log.warn({ code: error.code, detail: error.message }, 'scheduled Google sync failed');
        else services.log.error({ err: error }, 'scheduled Google sync failed');
      }
    }
  });
}
