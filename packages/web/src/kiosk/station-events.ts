import { useEffect } from 'react';
import type { StationView, TransactionView } from './api.js';
import type { KioskEvent } from './kiosk-state.js';

/**
 * Follows the agent's server-sent events (`GET /api/events`): the station's
 * status, its link, door sensors and transaction updates. EventSource
 * reconnects by itself; a fresh `status` comes first after each reconnect.
 */
export function useStationEvents(dispatch: (event: KioskEvent) => void): void {
  useEffect(() => {
    const source = new EventSource('api/events');
    const on = <T>(name: string, handle: (data: T) => void): void => {
      source.addEventListener(name, (message: MessageEvent<string>) => {
        try {
          handle(JSON.parse(message.data) as T);
        } catch {
          // A malformed event is dropped; polling and the next status catch up.
        }
      });
    };
    on<StationView>('status', (status) =>
      dispatch({
        type: 'station',
        station: { stationName: status.stationName, online: status.online, compartments: status.compartments },
      }),
    );
    on<{ online: boolean; stationName: string | null }>('link', (link) =>
      dispatch({ type: 'link', online: link.online, stationName: link.stationName }),
    );
    on<{ compartment: number; door: 'open' | 'closed' }>('door', (door) =>
      dispatch({ type: 'door', compartment: door.compartment, door: door.door }),
    );
    on<{ transaction: TransactionView }>('transaction', (update) =>
      dispatch({ type: 'transaction', transaction: update.transaction }),
    );
    return () => source.close();
  }, [dispatch]);
}
