import type { Executor } from './transaction.js';
import { parseJson } from './json.js';

/** The ids an audit page names, by kind. */
export interface AuditNameIds {
  people: string[];
  stations: string[];
  users: string[];
  devices: string[];
  sites: string[];
  loans: string[];
}

/** What the viewer may see names of: their campuses (null: the district), and people's names at all. */
export interface NameAccess {
  scope: readonly string[] | null;
  people: boolean;
}

export interface AuditNames {
  /** Names as the people table holds them: an erased person's is their pseudonym. */
  people: Map<string, string>;
  stations: Map<string, { name: string; siteId: string; siteName: string; timeZone: string }>;
  /** Dashboard users and API tokens (an API token acts as a user). */
  users: Map<string, string>;
  devices: Map<string, string>;
  sites: Map<string, { name: string; timeZone: string }>;
  /** A loan's loaner, by loan id. */
  loanDevices: Map<string, string>;
}

const unique = (ids: string[]) => [...new Set(ids)].filter(Boolean);

/**
 * The names behind an audit page's ids, read when the log is read (events
 * carry ids only, so the hash chain never holds a name and erasure never
 * touches it). Each name is limited to what the viewer may see: a person,
 * station or campus of another campus has none, and people's names need
 * people:read. A campus-limited viewer sees staff who are district-wide
 * or share one of their campuses.
 */
export async function findAuditNames(db: Executor, ids: AuditNameIds, access: NameAccess): Promise<AuditNames> {
  const inScope = (siteId: string | null) => access.scope === null || (siteId !== null && access.scope.includes(siteId));
  const [people, stations, users, tokens, devices, sites, loans] = await Promise.all([
    access.people && ids.people.length
      ? db
          .selectFrom('people')
          .select(['id', 'given_name', 'family_name', 'site_id'])
          .where('id', 'in', unique(ids.people))
          .execute()
      : [],
    ids.stations.length
      ? db
          .selectFrom('stations')
          .innerJoin('sites', 'sites.id', 'stations.site_id')
          .select(['stations.id', 'stations.name', 'stations.site_id', 'sites.name as site_name', 'sites.time_zone'])
          .where('stations.id', 'in', unique(ids.stations))
          .execute()
      : [],
    ids.users.length
      ? db.selectFrom('users').select(['id', 'name', 'site_ids']).where('id', 'in', unique(ids.users)).execute()
      : [],
    ids.users.length
      ? db.selectFrom('api_tokens').select(['id', 'name', 'site_ids']).where('id', 'in', unique(ids.users)).execute()
      : [],
    ids.devices.length
      ? db.selectFrom('devices').select(['id', 'asset_tag']).where('id', 'in', unique(ids.devices)).execute()
      : [],
    ids.sites.length
      ? db.selectFrom('sites').select(['id', 'name', 'time_zone']).where('id', 'in', unique(ids.sites)).execute()
      : [],
    ids.loans.length
      ? db
          .selectFrom('loans')
          .innerJoin('devices', 'devices.id', 'loans.device_id')
          .select(['loans.id', 'devices.asset_tag'])
          .where('loans.id', 'in', unique(ids.loans))
          .execute()
      : [],
  ]);
  const staffInScope = (siteIds: string | null | undefined) => {
    if (access.scope === null) return true;
    const theirs = siteIds ? parseJson<string[] | null>(siteIds) : null;
    return theirs === null || theirs.some((id) => access.scope!.includes(id));
  };
  return {
    people: new Map(people.filter((p) => inScope(p.site_id)).map((p) => [p.id, `${p.given_name} ${p.family_name}`.trim()])),
    stations: new Map(
      stations
        .filter((s) => inScope(s.site_id))
        .map((s) => [s.id, { name: s.name, siteId: s.site_id, siteName: s.site_name, timeZone: s.time_zone }]),
    ),
    users: new Map([...users, ...tokens].filter((u) => staffInScope(u.site_ids)).map((u) => [u.id, u.name])),
    // An asset tag is fleet data, and a campus-limited reader sees only events at their own stations:
    // the loaner an event there names was at their campus then, wherever it is now.
    devices: new Map(devices.map((d) => [d.id, d.asset_tag])),
    sites: new Map(sites.filter((s) => inScope(s.id)).map((s) => [s.id, { name: s.name, timeZone: s.time_zone }])),
    loanDevices: new Map(loans.map((l) => [l.id, l.asset_tag])),
  };
}
