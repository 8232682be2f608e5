/** A campus as orgs.csv states it (a `school` org). */
export interface RosterSite {
  externalId: string;
  name: string;
}

export interface KnownSite {
  id: string;
  /** null: a campus set up by hand, adopted by the first org of its exact name. */
  externalId: string | null;
  name: string;
}

export interface SitesPlan {
  create: (RosterSite & { id: string })[];
  /** A known campus taking a new name, or a hand-made one adopting the org's sourcedId. */
  update: { id: string; name: string; externalId: string }[];
  unchanged: number;
  /** Site ids by the org's sourcedId. */
  idsByExternalId: Map<string, string>;
}

/** Campuses are matched by sourcedId; one missing from a bulk file stays (its stations and history are real). */
export function planSites(known: readonly KnownSite[], incoming: readonly RosterSite[], newId: () => string): SitesPlan {
  const byExternal = new Map(known.filter((s) => s.externalId !== null).map((s) => [s.externalId!, s]));
  const byName = new Map(known.filter((s) => s.externalId === null).map((s) => [s.name, s]));
  const plan: SitesPlan = { create: [], update: [], unchanged: 0, idsByExternalId: new Map() };
  for (const row of incoming) {
    const site = byExternal.get(row.externalId) ?? byName.get(row.name);
    if (site && site.externalId === null) byName.delete(site.name);
    if (!site) {
      const id = newId();
      plan.create.push({ ...row, id });
      plan.idsByExternalId.set(row.externalId, id);
    } else {
      plan.idsByExternalId.set(row.externalId, site.id);
      if (site.name !== row.name || site.externalId !== row.externalId)
        plan.update.push({ id: site.id, name: row.name, externalId: row.externalId });
      else plan.unchanged++;
    }
  }
  return plan;
}
