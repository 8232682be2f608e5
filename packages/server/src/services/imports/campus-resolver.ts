import { problem, type ImportProblem } from '@cubby/core';
import type { RosterInput } from './roster-input.js';

/**
 * Finds a row's campus: an org of the file (a school, or a department of
 * one; a district org means no campus), else a campus Cubby holds, by its
 * roster sourcedId, its name or its id. Anything else is an unknown campus.
 */
export function campusResolver(
  input: Pick<RosterInput, 'orgCampus'>,
  newSites: ReadonlyMap<string, string>,
  known: readonly { id: string; name: string; externalId: string | null }[],
) {
  const byKey = new Map<string, string>();
  for (const s of known) {
    byKey.set(s.id, s.id);
    byKey.set(s.name, s.id);
    if (s.externalId !== null) byKey.set(s.externalId, s.id);
  }
  for (const [externalId, id] of newSites) byKey.set(externalId, id);
  return (
    orgIds: readonly string[],
    source: { file: string; line: number },
    column: string,
    problems: ImportProblem[],
  ): string | null => {
    let site: string | null = null;
    for (const org of orgIds) {
      const campus = input.orgCampus.has(org) ? input.orgCampus.get(org)! : org;
      const id = campus === null ? null : byKey.get(campus);
      if (id === undefined) {
        problems.push(
          problem(source.file, source.line, column, `campus '${org}' is unknown (not in orgs.csv nor a campus of the district)`),
        );
        return null;
      }
      site ??= id;
    }
    return site;
  };
}
