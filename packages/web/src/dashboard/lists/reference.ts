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

/** What a list's cell renderers use: translations, the language, campus and station names. */
export function useRenderContext(): RenderContext {
  const { t, i18n } = useTranslation();
  const sites = useSites();
  const stations = useStations();
  return useMemo(() => {
    const siteNames = new Map(sites.data?.items.map((s) => [s.id, s.name]));
    const stationNames = new Map(stations.data?.items.map((s) => [s.id, s.name]));
    return {
      t,
      language: i18n.language,
      siteName: (id) => (typeof id === 'string' ? (siteNames.get(id) ?? '—') : '—'),
      stationName: (id) => (typeof id === 'string' ? (stationNames.get(id) ?? '—') : '—'),
    };
  }, [t, i18n.language, sites.data, stations.data]);
}
