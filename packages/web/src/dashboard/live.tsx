import { useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { apiBase } from './api.js';
import type { Overview, StationGrid } from '@cubby/protocol/api';
import type { LiveEvent } from './types.js';

/**
 * The live feed (`GET /api/v1/live`, server-sent events). Each event names
 * what changed; the dashboard re-fetches the queries it touches rather than
 * patching data from events, so what it shows is always what the API says.
 * Events carry ids: after a dropped connection the browser resumes from the
 * last one, and a `reset` event (too much missed) refetches everything.
 * Door-left-open alerts and stations going offline also raise a notice.
 */
export type LiveState = 'connecting' | 'live' | 'offline';

export interface Notice {
  id: number;
  tone: 'warning' | 'danger' | 'info';
  message: string;
}

interface Live {
  state: LiveState;
  notices: Notice[];
  dismiss(id: number): void;
}

const LiveContext = createContext<Live>({ state: 'connecting', notices: [], dismiss: () => {} });

export function useLive(): Live {
  return useContext(LiveContext);
}

/** The queries an event can change: the overview, the station's grid, and the lists it appears in. */
export function queriesTouchedBy(event: LiveEvent): QueryKey[] {
  const keys: QueryKey[] = [['overview'], ['list', 'audit-events']];
  if (event.stationId) keys.push(['grid', event.stationId]);
  else keys.push(['grid']);
  switch (event.type) {
    case 'loan.started':
    case 'loan.returned':
    case 'loan.cancelled':
      // A swap's loaner returned shows on its ticket's page (swap → ticket → loaner → pickup).
      keys.push(['list', 'loans'], ['list', 'devices'], ['list', 'people'], ['repairs', 'ticket']);
      break;
    case 'repair.created':
    case 'repair.changed':
      // The board, an open ticket page, the lists and the device's page (its status and timeline).
      keys.push(['repairs'], ['list', 'repair-tickets'], ['list', 'devices']);
      if (event.deviceId) keys.push(['device', event.deviceId]);
      break;
    case 'compartment.changed':
      keys.push(['list', 'devices']);
      break;
    case 'station.connection':
      keys.push(['settings', 'stations']);
      break;
  }
  return keys;
}

function stationName(queries: QueryClient, stationId: string | null | undefined): string | null {
  if (!stationId) return null;
  const grid = queries.getQueryData<StationGrid>(['grid', stationId]);
  if (grid) return grid.station.name;
  const overview = queries.getQueryData<Overview>(['overview']);
  for (const campus of overview?.campuses ?? []) {
    const station = campus.stations.find((s) => s.id === stationId);
    if (station) return station.name;
  }
  return null;
}

/** The notice an event raises, if any: a door left open, another alert, a station going offline or back. */
function noticeFor(event: LiveEvent, station: string, t: TFunction): [Notice['tone'], string] | null {
  if (event.type === 'alert.raised') {
    if (event.kind !== 'door_left_open') {
      const kind = event.kind ?? '';
      return ['warning', t('live.alert', { station, kind: t(`station.alertKinds.${kind}`, { defaultValue: kind }) })];
    }
    return [
      'danger',
      event.compartmentNumber != null
        ? t('live.doorLeftOpen', { station, n: event.compartmentNumber })
        : t('live.doorLeftOpenNoNumber', { station }),
    ];
  }
  if (event.type === 'station.connection' && event.connected === false) return ['warning', t('live.stationOffline', { station })];
  if (event.type === 'station.connection' && event.connected === true) return ['info', t('live.stationOnline', { station })];
  return null;
}

export function LiveProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const { t } = useTranslation();
  const [state, setState] = useState<LiveState>('connecting');
  const [notices, setNotices] = useState<Notice[]>([]);
  const nextId = useRef(1);
  const tRef = useRef(t);
  tRef.current = t;

  const notify = useCallback((tone: Notice['tone'], message: string) => {
    const id = nextId.current++;
    setNotices((all) => [...all.slice(-3), { id, tone, message }]);
  }, []);

  useEffect(() => {
    const pending = new Map<string, QueryKey>();
    let flush: ReturnType<typeof setTimeout> | undefined;
    const source = new EventSource(`${apiBase}/live`, { withCredentials: true });
    let opened = false;
    source.onopen = () => {
      setState('live');
      // What changed between the page's first fetches and the first connection is fetched afresh. A
      // reconnection needs no refetch: the browser sends Last-Event-ID and the server replays what was missed.
      if (!opened) {
        void queries.invalidateQueries({ queryKey: ['overview'] });
        void queries.invalidateQueries({ queryKey: ['grid'] });
      }
      opened = true;
    };
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    // The server no longer holds what this tab missed (or it restarted): everything is fetched afresh.
    source.addEventListener('reset', () => void queries.invalidateQueries());
    source.addEventListener('change', (message) => {
      let event: LiveEvent;
      try {
        event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
      } catch {
        return;
      }
      for (const key of queriesTouchedBy(event)) pending.set(JSON.stringify(key), key);
      // A borrow sends a burst of events: one re-fetch each, a moment later.
      flush ??= setTimeout(() => {
        flush = undefined;
        for (const key of pending.values()) void queries.invalidateQueries({ queryKey: key });
        pending.clear();
      }, 50);
      const t = tRef.current;
      const notice = noticeFor(event, stationName(queries, event.stationId) ?? t('live.aStation'), t);
      if (notice) notify(...notice);
    });
    return () => {
      if (flush) clearTimeout(flush);
      source.close();
    };
  }, [queries, notify]);

  const dismiss = useCallback((id: number) => setNotices((all) => all.filter((n) => n.id !== id)), []);
  return <LiveContext.Provider value={{ state, notices, dismiss }}>{children}</LiveContext.Provider>;
}
