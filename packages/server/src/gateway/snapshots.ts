import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/deps.js';
import { buildPolicySnapshot } from '../services/policy-snapshot.js';
import { send, type StationLink, type StationLinks } from './station-links.js';

/**
 * What each station may decide alone if its link drops: a policy snapshot at
 * hello, shortly after changes at the station (debounced), and periodically.
 */
export class SnapshotSchedule {
  constructor(
    private readonly services: Services,
    private readonly links: StationLinks,
  ) {}

  /** Queued behind the link's messages; a failure only waits for the next. */
  send(link: StationLink): void {
    link.queue = link.queue
      .then(async () => {
        if (!this.links.isCurrent(link)) return;
        send(link, await buildPolicySnapshot(this.services, link.stationId));
      })
      .catch((error) => this.services.log.error({ err: error, stationId: link.stationId }, 'policy snapshot failed'));
  }

  schedule(link: StationLink, delayMs = this.services.config.policySnapshotDelayMs): void {
    if (link.snapshotTimer) return;
    link.snapshotTimer = setTimeout(() => {
      link.snapshotTimer = undefined;
      this.send(link);
    }, delayMs);
    link.snapshotTimer.unref();
  }

  /** Every greeted link gets a fresh snapshot every policySnapshotSeconds, until the app closes. */
  startPeriodic(app: FastifyInstance): void {
    const periodic = setInterval(() => {
      for (const link of this.links.all()) if (link.greeted) this.send(link);
    }, this.services.config.policySnapshotSeconds * 1000);
    periodic.unref();
    app.addHook('onClose', async () => clearInterval(periodic));
  }
}
