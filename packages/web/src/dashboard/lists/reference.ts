import { useQuery } from '@tanstack/react-query';
import { api } from '../api.js';
import type { Page, Site, Station } from '@cubby/protocol/api';

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
