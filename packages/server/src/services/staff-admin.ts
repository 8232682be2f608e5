import { DomainError, isPermission, tokenPermissions, type Permission, type Principal, type StaffRole } from '@cubby/core';
import {
  countDistrictSites,
  deleteUserSessions,
  findFirstDistrict,
  findUserById,
  hasOtherDistrictAdmin,
  insertApiToken,
  insertUser,
  isEmailTaken,
  listUsers,
  newId,
  revokeApiToken,
  updateUser,
  type Executor,
  type UserRecord,
} from '@cubby/db';
import { hashToken, newToken } from '../secrets.js';
import { transact, type Services } from './deps.js';
import { checkRoleAndSites, validatePassword } from './staff-auth.js';

/** Managing dashboard users and integration tokens (district admins only, by the route's access rule). */

async function checkSitesExist(db: Executor, districtId: string, siteIds: string[] | null): Promise<void> {
  if (!siteIds) return;
  if ((await countDistrictSites(db, districtId, siteIds)) !== siteIds.length)
    throw new DomainError('bad_request', 'Unknown campus in siteIds');
}

async function districtOf(db: Executor, principal: Principal): Promise<string> {
  if (principal.kind === 'user') {
    const me = await findUserById(db, principal.id);
    if (me) return me.districtId;
  }
  const district = await findFirstDistrict(db);
  if (!district) throw new DomainError('not_found', 'No district is set up');
  return district.id;
}

export async function listDistrictUsers(services: Services, principal: Principal): Promise<UserRecord[]> {
  return listUsers(services.cubby.db, await districtOf(services.cubby.db, principal));
}

export async function createUser(
  services: Services,
  principal: Principal,
  input: { email: string; name: string; role: string; siteIds?: string[] | null | undefined; password?: string | undefined },
): Promise<UserRecord> {
  const { role, siteIds } = checkRoleAndSites(input.role, input.siteIds);
  if (input.password !== undefined) validatePassword(input.password);
  const passwordHash = input.password === undefined ? null : await services.hashes.hash(input.password);
  return transact(services, async (tx) => {
    const districtId = await districtOf(tx.db, principal);
    await checkSitesExist(tx.db, districtId, siteIds);
    const email = input.email.trim().toLowerCase();
    if (await isEmailTaken(tx.db, email)) {
      throw new DomainError('conflict', 'A user with this email already exists');
    }
    const id = newId();
    await insertUser(tx.db, { id, districtId, email, name: input.name.trim(), role, siteIds, passwordHash, now: tx.now });
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'user.created',
      entityType: 'user',
      entityId: id,
      data: { role, siteIds, password: passwordHash !== null },
    });
    return (await findUserById(tx.db, id))!;
  });
}

export async function changeUser(
  services: Services,
  principal: Principal,
  id: string,
  input: {
    name?: string | undefined;
    role?: string | undefined;
    siteIds?: string[] | null | undefined;
    disabled?: boolean | undefined;
    password?: string | undefined;
  },
): Promise<UserRecord> {
  if (input.password !== undefined) validatePassword(input.password);
  const passwordHash = input.password === undefined ? undefined : await services.hashes.hash(input.password);
  return transact(services, async (tx) => {
    const user = await findUserById(tx.db, id);
    if (!user || user.districtId !== (await districtOf(tx.db, principal))) throw new DomainError('not_found', 'No such user');
    const next = checkRoleAndSites(input.role ?? user.role, input.siteIds === undefined ? user.siteIds : input.siteIds);
    await checkSitesExist(tx.db, user.districtId, next.siteIds);
    const disabled = input.disabled ?? user.disabled;
    if (user.id === principal.id && (disabled || next.role !== user.role)) {
      throw new DomainError('conflict', 'You cannot disable yourself or change your own role');
    }
    if (user.role === 'district_admin' && (disabled || next.role !== 'district_admin')) await keepOneDistrictAdmin(tx.db, user);
    await updateUser(tx.db, id, {
      ...(input.name !== undefined ? { name: input.name.trim() } : {}),
      role: next.role as StaffRole,
      siteIds: next.siteIds,
      disabled,
      ...(passwordHash !== undefined ? { passwordHash, failedLogins: 0, lockedUntil: null } : {}),
    });
    // A narrower role, a disabled account or a new password ends the user's sessions at once.
    if (
      disabled ||
      next.role !== user.role ||
      JSON.stringify(next.siteIds) !== JSON.stringify(user.siteIds) ||
      passwordHash !== undefined
    ) {
      await deleteUserSessions(tx.db, id);
    }
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'user.changed',
      entityType: 'user',
      entityId: id,
      data: {
        role: next.role,
        siteIds: next.siteIds,
        disabled,
        passwordChanged: passwordHash !== undefined,
        ...(input.name !== undefined ? { name: input.name } : {}),
      },
    });
    return (await findUserById(tx.db, id))!;
  });
}

async function keepOneDistrictAdmin(db: Executor, leaving: UserRecord): Promise<void> {
  if (!(await hasOtherDistrictAdmin(db, leaving.districtId, leaving.id)))
    throw new DomainError('conflict', 'The district needs at least one active district admin');
}

/** Integrations may read and operate; managing users and tokens stays with people. */
const grantableToTokens: ReadonlySet<Permission> = new Set(tokenPermissions);

export async function createApiToken(
  services: Services,
  principal: Principal,
  input: { name: string; scopes: string[]; siteIds?: string[] | null | undefined },
): Promise<{ id: string; token: string }> {
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw new DomainError('bad_request', 'A token needs at least one scope');
  for (const scope of scopes) {
    if (!isPermission(scope) || !grantableToTokens.has(scope))
      throw new DomainError('bad_request', `A token cannot have the scope ${scope}`);
    if (!principal.permissions.has(scope)) throw new DomainError('forbidden', `You cannot grant ${scope}`);
  }
  const siteIds = input.siteIds && input.siteIds.length > 0 ? [...new Set(input.siteIds)] : null;
  const token = newToken('cat');
  return transact(services, async (tx) => {
    await checkSitesExist(tx.db, await districtOf(tx.db, principal), siteIds);
    const id = newId();
    await insertApiToken(tx.db, {
      id,
      name: input.name.trim(),
      token_hash: hashToken(token),
      scopes,
      created_at: tx.now,
      siteIds,
      createdBy: principal.id,
    });
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: id,
      data: { name: input.name, scopes, siteIds },
    });
    return { id, token };
  });
}

export async function revokeToken(services: Services, principal: Principal, id: string): Promise<void> {
  await transact(services, async (tx) => {
    if (!(await revokeApiToken(tx.db, id, tx.now))) throw new DomainError('not_found', 'No such active token');
    tx.audit({ actorType: 'user', actorId: principal.id, action: 'api_token.revoked', entityType: 'api_token', entityId: id });
  });
}
