import type { CubbyEvent } from '@cubby/core';
import type { Services } from '../services/deps.js';
import type { SnapshotSchedule } from './snapshots.js';
import { send, type StationLinks } from './station-links.js';

/** Commands and transaction updates decided by committed transactions reach their station's link. */
export function fanOutCommands(services: Services, links: StationLinks, snapshots: SnapshotSchedule): void {
  services.bus.subscribe((event: CubbyEvent) => {
    if (event.type === 'station.command') {
      const link = links.get(event.stationId);
      if (!link) return;
      const c = event.command;
      if (c.kind === 'unlock') {
        send(link, {
          type: 'unlock',
          commandId: c.commandId,
          compartment: c.compartment,
          pulseMs: services.config.unlockPulseMs,
          transactionId: c.transactionId,
          purpose: c.purpose,
        });
      } else {
        send(link, { type: 'set_charging', compartment: c.compartment, on: c.on });
      }
    } else if (event.type === 'station.revoked') {
      // A revoked (or replaced) credential ends the link it opened; the agent cannot reconnect with it.
      links.get(event.stationId)?.socket.close(4401, 'station credential revoked');
    } else if (event.type === 'transaction.updated') {
      const link = links.get(event.stationId);
      if (link) send(link, { type: 'transaction', transaction: event.transaction });
      // A finished transaction changed who holds what: the station's offline view follows.
      if (link && event.transaction.status !== 'in_progress') snapshots.schedule(link);
    }
  });
}
