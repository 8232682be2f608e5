import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.js';
import type { Page, Site, Station } from '@cubby/protocol/api';
import type { RenderContext } from './list-def.js';

/** The district's campuses and stations, for names in tables and choices in filters. */
export function useSites() {
  return useQuery({ queryKey: ['settings', 'sites'], queryFn: () => api<Page<Site>>('/sites?limit=500'), staleTime: 60_000 });
}

export function useStations() {
  return useQuery({
    queryKey: ['settings', 'stations'],
    queryFn: () => api<Page<Station>>('/stations?limit=500'),
    staleTime: 60_000,
  });
}

/** Which time zone a time at a campus or a station is shown in. */
export interface Zones {
  ofSite(siteId: unknown): string;
  ofStation(stationId: unknown): string;
  /** For what belongs to no campus (a user's sign-in, a token): the first campus's zone. */
  district: string;
}

/**
 * Time zones from the campuses the user sees (ARCHITECTURE §4). Until they
 * have loaded, and for a campus unknown here, the district's zone serves, and
 * with no campus at all the browser's.
 */
export function useZones(): Zones {
  const sites = useSites();
  const stations = useStations();
  return useMemo(() => {
    const siteZones = new Map(sites.data?.items.map((s) => [s.id, s.timeZone]));
    const stationSites = new Map(stations.data?.items.map((s) => [s.id, s.siteId]));
    const [first] = [...(sites.data?.items ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const district = first?.timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
    const ofSite = (id: unknown) => (typeof id === 'string' ? (siteZones.get(id) ?? district) : district);
    return { ofSite, ofStation: (id: unknown) => ofSite(typeof id === 'string' ? stationSites.get(id) : null), district };
  }, [sites.data, stations.data]);
}

/** What a list's cell renderers use: translations, the language, campus and station names, time zones. */
export function useRenderContext(): RenderContext {
  const { t, i18n } = useTranslation();
  const sites = useSites();
  const stations = useStations();
  const zones = useZones();
  return useMemo(() => {
    const siteNames = new Map(sites.data?.items.map((s) => [s.id, s.name]));
    const stationNames = new Map(stations.data?.items.map((s) => [s.id, s.name]));
    return {
      t,
      language: i18n.language,
      siteName: (id) => (typeof id === 'string' ? (siteNames.get(id) ?? '—') : '—'),
      stationName: (id) => (typeof id === 'string' ? (stationNames.get(id) ?? '—') : '—'),
      zones,
    };
  }, [t, i18n.language, sites.data, stations.data, zones]);
}
