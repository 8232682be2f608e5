/**
 * OneRoster's packed fields: `{type:value}` pairs in `userIds`, and
 * comma-separated lists in `orgSourcedIds`, `agentSourcedIds` and `grades`.
 */

/** `{LDAP:jdoe},{badge:0004512}` → [['LDAP','jdoe'], ['badge','0004512']]; undefined when malformed. */
export function parseUserIds(field: string): [string, string][] | undefined {
  const text = field.trim();
  if (text === '') return [];
  const out: [string, string][] = [];
  for (const part of text.split(/\s*,\s*(?=\{)/)) {
    const match = /^\{([^:{}]+):([^{}]*)\}$/.exec(part.trim());
    if (!match) return undefined;
    out.push([match[1]!.trim(), match[2]!.trim()]);
  }
  return out;
}

export function parseList(field: string): string[] {
  return field
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** OneRoster booleans are exactly `true` / `false`. */
export function parseBoolean(field: string): boolean | undefined {
  return field === 'true' ? true : field === 'false' ? false : undefined;
}

/** An ISO 8601 date (YYYY-MM-DD) as epoch ms at UTC midnight; undefined when it is not one. */
export function parseIsoDate(field: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(field.trim());
  if (!match) return undefined;
  const t = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(t).toISOString().startsWith(field.trim()) ? t : undefined;
}
