/** A student's guardian or parent, from the roster, kept for notices. */
export interface RosterContact {
  personId: string;
  externalId: string;
  relationship: string;
  givenName: string;
  familyName: string;
  email: string | null;
  phone: string | null;
}

export interface KnownContact extends RosterContact {
  id: string;
}

export interface ContactsPlan {
  create: (RosterContact & { id: string })[];
  /** Changed contacts, whole. */
  update: (RosterContact & { id: string })[];
  remove: string[];
  unchanged: number;
}

const compared = ['relationship', 'givenName', 'familyName', 'email', 'phone'] as const;
const keyOf = (c: { personId: string; externalId: string }) => `${c.personId}\u0000${c.externalId}`;

/**
 * The contacts of the students a file covers become exactly the file's: a
 * guardian no longer listed for a student is removed (a contact has no
 * history to keep). Students the file does not cover keep theirs.
 */
export function planContacts(
  known: readonly KnownContact[],
  incoming: readonly RosterContact[],
  covered: ReadonlySet<string>,
  newId: () => string,
): ContactsPlan {
  const plan: ContactsPlan = { create: [], update: [], remove: [], unchanged: 0 };
  const byKey = new Map(known.map((c) => [keyOf(c), c]));
  const wanted = new Set<string>();
  for (const row of incoming) {
    const key = keyOf(row);
    if (wanted.has(key)) continue;
    wanted.add(key);
    const current = byKey.get(key);
    if (!current) {
      plan.create.push({ ...row, id: newId() });
      continue;
    }
    if (compared.some((k) => current[k] !== row[k])) plan.update.push({ ...row, id: current.id });
    else plan.unchanged++;
  }
  for (const c of known) if (covered.has(c.personId) && !wanted.has(keyOf(c))) plan.remove.push(c.id);
  return plan;
}
