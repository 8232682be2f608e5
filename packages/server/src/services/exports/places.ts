import { localIsoTime, type Principal } from '@cubby/core';
import { sitesInScope, stationsInScope, type Executor } from '@cubby/db';

/**
 * The caller's campuses and stations by id, read once per export, so a CSV
 * names them and writes each time in its campus's zone instead of raw ids and
 * epoch milliseconds.
 */
export interface Places {
  siteName(id: string | null): string | null;
  stationName(id: string | null): string | null;
  siteOfStation(id: string | null): string | null;
  /** ISO 8601 local time with offset in the campus's zone (the caller's first campus's for none). */
  localTime(at: number | null, siteId: string | null): string | null;
}

export async function loadPlaces(db: Executor, principal: Principal): Promise<Places> {
  const [sites, stations] = await Promise.all([sitesInScope(db, principal.siteIds), stationsInScope(db, principal.siteIds)]);
  const siteById = new Map(sites.map((s) => [s.id, s]));
  const stationById = new Map(stations.map((s) => [s.id, s]));
  const fallbackZone = sites[0]?.timeZone ?? 'UTC';
  return {
    siteName: (id) => (id ? (siteById.get(id)?.name ?? null) : null),
    stationName: (id) => (id ? (stationById.get(id)?.name ?? null) : null),
    siteOfStation: (id) => (id ? (stationById.get(id)?.siteId ?? null) : null),
    localTime: (at, siteId) =>
      at === null ? null : localIsoTime(at, (siteId ? siteById.get(siteId)?.timeZone : undefined) ?? fallbackZone),
  };
}
