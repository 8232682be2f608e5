/**
 * Who may do what on the admin side (ARCHITECTURE §8). Students and staff use
 * the kiosk only; these are the dashboard's roles. Site admins and technicians
 * are scoped to the campuses they are given; district admins and auditors see
 * the whole district. Auditors never change anything.
 */
export const staffRoles = ['district_admin', 'site_admin', 'technician', 'auditor'] as const;
export type StaffRole = (typeof staffRoles)[number];

export const permissions = [
  /** Campuses, stations, compartments, devices, loans and repair tickets (no names). */
  'fleet:read',
  /** People's names and who holds which device. */
  'people:read',
  'audit:read',
  /** Open a door remotely, take a compartment out of service and back. */
  'station:operate',
  /** Advance repair tickets. */
  'repairs:write',
  /** Site settings (time zone, end of school day) and stations (enroll, rotate, revoke). */
  'sites:write',
  /** The district's loan policy. */
  'policy:write',
  /** Dashboard users and their roles. */
  'users:write',
  /** API tokens for integrations. */
  'tokens:write',
  /** Everything Cubby holds about one person, as a download (docs/privacy.md). */
  'privacy:export',
  /** Erase a person's identity, keeping their history under a pseudonym; the retention setting. */
  'privacy:erase',
  /** Add and edit students and staff, reset and issue PINs, deactivate, assign a student's own device. */
  'people:write',
  /** Add and edit devices (asset tag, serial, model, condition, warranty). */
  'devices:write',
  /** Connect Google Admin (the service account key) and run its sync (docs/google.md). */
  'integrations:write',
  /** Import a roster or an inventory file (docs/importing.md): it can deactivate the whole district. */
  'roster:import',
] as const;
export type Permission = (typeof permissions)[number];

export const rolePermissions: Readonly<Record<StaffRole, readonly Permission[]>> = {
  district_admin: permissions,
  site_admin: [
    'fleet:read',
    'people:read',
    'audit:read',
    'station:operate',
    'repairs:write',
    'sites:write',
    'people:write',
    'devices:write',
  ],
  technician: ['fleet:read', 'station:operate', 'repairs:write', 'devices:write'],
  auditor: ['fleet:read', 'people:read', 'audit:read'],
};

/** Only people do these, never an integration: manage users and tokens, export or erase a person. */
const peopleOnly = ['users:write', 'tokens:write', 'privacy:export', 'privacy:erase'] as const;

/** What an integration's API token may be given. */
export const tokenPermissions = permissions.filter(
  (p): p is Exclude<Permission, (typeof peopleOnly)[number]> => !(peopleOnly as readonly string[]).includes(p),
);

/** Roles that must name at least one campus and see only those. */
export const siteScopedRoles: ReadonlySet<StaffRole> = new Set(['site_admin', 'technician']);

/** Whoever a request acts for: a signed-in user or an integration's API token. */
export interface Principal {
  kind: 'user' | 'token';
  id: string;
  name: string;
  /** A token has no role, only the permissions it was given. */
  role: StaffRole | null;
  permissions: ReadonlySet<Permission>;
  /** null: every campus of the district. */
  siteIds: readonly string[] | null;
}

export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (staffRoles as readonly string[]).includes(value);
}

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (permissions as readonly string[]).includes(value);
}

export function can(principal: Principal, permission: Permission): boolean {
  return principal.permissions.has(permission);
}

/**
 * Whether a principal may see things at a campus. Things that belong to no
 * campus (a device not yet placed) are district-wide: only district-wide
 * principals see them.
 */
export function canSeeSite(principal: Principal, siteId: string | null): boolean {
  if (principal.siteIds === null) return true;
  return siteId !== null && principal.siteIds.includes(siteId);
}

export function userPrincipal(user: { id: string; name: string; role: StaffRole; siteIds: readonly string[] | null }): Principal {
  return {
    kind: 'user',
    id: user.id,
    name: user.name,
    role: user.role,
    permissions: new Set(rolePermissions[user.role]),
    siteIds: siteScopedRoles.has(user.role) ? (user.siteIds ?? []) : null,
  };
}
