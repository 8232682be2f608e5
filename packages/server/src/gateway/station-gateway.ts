import type {} from '@fastify/websocket';
import type {} from '@fastify/swagger';
import { DomainError } from '@cubby/core';
import { findStationByTokenHash } from '@cubby/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '../secrets.js';
import type { Services } from '../services/deps.js';
import { stationDisconnected } from '../services/station-events.js';
import { fanOutCommands } from './command-fan-out.js';
import { handleStationMessage } from './message-dispatch.js';
import { SnapshotSchedule } from './snapshots.js';
import { StationLinks } from './station-links.js';

export { problemBody } from './message-dispatch.js';

type StationOf = FastifyRequest & { station?: { id: string; name: string } };

/**
 * The station side of the server: one outbound WebSocket per station,
 * authenticated by the station's token. Commands decided by committed
 * transactions reach the station through the event bus (command-fan-out.ts);
 * its messages are handled in order (message-dispatch.ts).
 */
export async function registerStationGateway(app: FastifyInstance, services: Services): Promise<void> {
  const links = new StationLinks();
  const snapshots = new SnapshotSchedule(services, links);
  fanOutCommands(services, links, snapshots);
  snapshots.startPeriodic(app);

  // On shutdown, close the links and let their queued messages finish first.
  app.addHook('preClose', async () => {
    const pending = links.all();
    for (const link of pending) {
      clearTimeout(link.snapshotTimer);
      link.socket.close(1001, 'server shutting down');
    }
    await Promise.all(pending.map((link) => link.queue));
  });

  app.get(
    '/station/link',
    {
      websocket: true,
      schema: { hide: true },
      preValidation: async (request: FastifyRequest) => {
        const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
        if (!token) throw new DomainError('forbidden', 'A station token is required');
        const station = await findStationByTokenHash(services.cubby.db, hashToken(token));
        if (!station) throw new DomainError('forbidden', 'This station token is not valid');
        (request as StationOf).station = station;
      },
    },
    (socket, request) => {
      const station = (request as StationOf).station!;
      const link = links.open(station, socket);
      const log = services.log.child({ stationId: station.id });
      log.info('station connected');
      socket.on('message', (data) => {
        const raw = data.toString();
        link.queue = link.queue
          .then(() => handleStationMessage(services, snapshots, link, raw))
          .catch((error) => log.error({ err: error }, 'station message failed'));
      });
      socket.on('close', () => {
        if (!links.close(link)) return;
        log.info('station disconnected');
        link.queue = link.queue
          .then(() => stationDisconnected(services, station.id))
          .catch((error) => log.error({ err: error }, 'disconnect failed'));
      });
    },
  );
}
