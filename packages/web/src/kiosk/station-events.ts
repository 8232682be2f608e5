import { useEffect } from 'react';
import type { KioskUpdate, StationStatus } from './api.js';
import type { KioskEvent } from './kiosk-state.js';

/** Each event of the stream by its name: the status, then updates named by their `type`. */
type StreamEvents = { status: StationStatus } & { [U in KioskUpdate as U['type']]: U };

/**
 * Follows the agent's server-sent events (`GET /api/events`): the station's
 * status, its link, door sensors and transaction updates. EventSource
 * reconnects by itself and sends the id of the last update it saw; the agent
 * replays what the screen missed, then a fresh `status`.
 */
export function useStationEvents(dispatch: (event: KioskEvent) => void): void {
  useEffect(() => {
    const source = new EventSource('api/events');
    const on = <N extends keyof StreamEvents>(name: N, handle: (data: StreamEvents[N]) => void): void => {
      source.addEventListener(name, (message: MessageEvent<string>) => {
        try {
          handle(JSON.parse(message.data) as StreamEvents[N]);
        } catch {
          // A malformed event is dropped; polling and the next status catch up.
        }
      });
    };
    on('status', (status) =>
      dispatch({
        type: 'station',
        station: {
          stationName: status.stationName,
          ...(status.timeZone ? { timeZone: status.timeZone } : {}),
          online: status.online,
          compartments: status.compartments,
        },
      }),
    );
    on('link', (link) => dispatch({ type: 'link', online: link.online, stationName: link.stationName, timeZone: link.timeZone }));
    on('door', (door) => dispatch({ type: 'door', compartment: door.compartment, door: door.door }));
    on('transaction', (update) => dispatch({ type: 'transaction', transaction: update.transaction }));
    return () => source.close();
  }, [dispatch]);
}
