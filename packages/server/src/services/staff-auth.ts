import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import { DomainError, isStaffRole, siteScopedRoles, userPrincipal, type StaffRole } from '@cubby/core';
import {
  countUsers,
  deleteSession,
  findFirstDistrict,
  findUserByOidcSubject,
  findUserById,
  findUserForLogin,
  insertDistrict,
  insertSession,
  insertUser,
  lockFirstRunSetup,
  newId,
  reserveSignInAttempt,
  updateUser,
  type UserRecord,
} from '@cubby/db';
import { hashToken } from '../secrets.js';
import { transact, type Services } from './deps.js';

/**
 * Dashboard sign-in for district staff: local accounts (argon2id) and single
 * sign-on. A sign-in creates a server-side session; the browser holds only a
 * random id in an httpOnly cookie, and the database only its hash.
 */

export interface StaffSession {
  /** Goes into the cookie; never stored. */
  cookieValue: string;
  csrfToken: string;
  expiresAt: number;
  user: UserRecord;
}

export const minPasswordLength = 12;

export function validatePassword(password: string): void {
  if (password.length < minPasswordLength)
    throw new DomainError('bad_request', `A password needs at least ${minPasswordLength} characters`);
  if (password.length > 256) throw new DomainError('bad_request', 'A password may have at most 256 characters');
}

/** For tools outside a running server (the CLI, test builders); the server hashes through services.hashes. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

/** Compared against when the email is unknown, so a wrong email takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;

/**
 * Email and password. Each guess at an account takes its attempt in the
 * account's row before the password is checked, so guesses sent at once are
 * counted one by one: past loginMaxFailures they are refused unchecked, and
 * the guess that reaches it locks the account (if it is wrong).
 */
export async function signInWithPassword(
  services: Services,
  email: string,
  password: string,
  now = Date.now(),
): Promise<StaffSession> {
  const { db } = services.cubby;
  const user = await findUserForLogin(db, email.trim());
  if (!user || !user.passwordHash || user.disabled) {
    await services.hashes.verify(await (dummyHash ??= hashPassword(randomBytes(16).toString('hex'))), password);
    throw new DomainError('bad_credentials');
  }
  const max = services.config.loginMaxFailures;
  const attempt = await reserveSignInAttempt(db, user.id, now);
  if (attempt === undefined || attempt > max) throw await lockedOut(services, user.id, now);
  if (!(await services.hashes.verify(user.passwordHash, password))) {
    const locks = attempt >= max;
    await transact(services, async (tx) => {
      if (locks)
        await updateUser(tx.db, user.id, { failedLogins: 0, lockedUntil: now + services.config.loginLockoutSeconds * 1000 });
      tx.audit({
        actorType: 'user',
        actorId: user.id,
        action: locks ? 'user.locked_out' : 'user.sign_in_failed',
        entityType: 'user',
        entityId: user.id,
        data: { failures: attempt },
      });
    });
    throw locks
      ? new DomainError('locked_out', 'Too many wrong passwords: this account is locked for a while', {
          retryAfter: services.config.loginLockoutSeconds,
        })
      : new DomainError('bad_credentials');
  }
  return startSession(services, user, 'password');
}

/** The refusal while an account is locked (or its last guesses are still being checked). */
async function lockedOut(services: Services, userId: string, now: number): Promise<DomainError> {
  const lockedUntil = (await findUserById(services.cubby.db, userId))?.lockedUntil;
  const seconds = lockedUntil && lockedUntil > now ? Math.ceil((lockedUntil - now) / 1000) : services.config.loginLockoutSeconds;
  return new DomainError('locked_out', 'This account is locked after too many wrong passwords; try again later', {
    retryAfter: seconds,
  });
}

/** Single sign-on: the identity provider vouched for `subject` (and maybe `email`); only accounts an admin created may sign in. */
export async function signInWithOidc(
  services: Services,
  claims: { subject: string; email?: string | undefined; emailVerified?: boolean | undefined },
): Promise<StaffSession> {
  const { db } = services.cubby;
  let user = await findUserByOidcSubject(db, claims.subject);
  if (!user && claims.email && claims.emailVerified !== false) {
    const byEmail = await findUserForLogin(db, claims.email);
    // The first single sign-on binds the account to the provider's subject.
    if (byEmail && byEmail.oidcSubject === null) {
      await updateUser(db, byEmail.id, { oidcSubject: claims.subject });
      user = { ...byEmail, oidcSubject: claims.subject };
    }
  }
  if (!user || user.disabled)
    throw new DomainError('forbidden', 'No Cubby account is set up for this sign-in; ask a district admin to add you');
  return startSession(services, user, 'oidc');
}

async function startSession(services: Services, user: UserRecord, method: 'password' | 'oidc' | 'setup'): Promise<StaffSession> {
  const cookieValue = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  return transact(services, async (tx) => {
    const expiresAt = tx.now + services.config.sessionHours * 3600_000;
    await insertSession(tx.db, { idHash: hashToken(cookieValue), userId: user.id, csrfToken, now: tx.now, expiresAt });
    await updateUser(tx.db, user.id, { failedLogins: 0, lockedUntil: null, lastLoginAt: tx.now });
    tx.audit({
      actorType: 'user',
      actorId: user.id,
      action: 'user.signed_in',
      entityType: 'user',
      entityId: user.id,
      data: { method },
    });
    return { cookieValue, csrfToken, expiresAt, user: { ...user, lastLoginAt: tx.now, lockedUntil: null } };
  });
}

export async function signOut(services: Services, sessionIdHash: string, userId: string): Promise<void> {
  await transact(services, async (tx) => {
    await deleteSession(tx.db, sessionIdHash);
    tx.audit({ actorType: 'user', actorId: userId, action: 'user.signed_out', entityType: 'user', entityId: userId });
  });
}

/**
 * First-run setup: while no dashboard user exists, whoever can reach the
 * server creates the first district admin (and the district, on an empty
 * database). There is no default password, in any mode.
 */
export async function setUpFirstAdmin(
  services: Services,
  input: { email: string; name: string; password: string; districtName?: string | undefined },
): Promise<StaffSession> {
  validatePassword(input.password);
  // Hashed before the transaction (it must not hold SQLite's connection), and only while setup is still open.
  if (await isSetUp(services)) throw new DomainError('conflict', 'Setup is already done: sign in instead');
  const passwordHash = await services.hashes.hash(input.password);
  const user = await transact(services, async (tx) => {
    // Two setups racing must not both win: take the district row (or the chain head on an empty database) first.
    await lockFirstRunSetup(tx.db, tx.dialect);
    if ((await countUsers(tx.db)) > 0) throw new DomainError('conflict', 'Setup is already done: sign in instead');
    let districtId = (await findFirstDistrict(tx.db))?.id;
    if (!districtId) {
      districtId = newId();
      await insertDistrict(tx.db, { id: districtId, name: input.districtName?.trim() || 'My district', now: tx.now });
    }
    const id = newId();
    await insertUser(tx.db, {
      id,
      districtId,
      email: input.email,
      name: input.name,
      role: 'district_admin',
      siteIds: null,
      passwordHash,
      now: tx.now,
    });
    tx.audit({
      actorType: 'user',
      actorId: id,
      action: 'user.created',
      entityType: 'user',
      entityId: id,
      data: { role: 'district_admin', via: 'setup' },
    });
    return {
      id,
      districtId,
      email: input.email.toLowerCase(),
      name: input.name,
      role: 'district_admin' as const,
      siteIds: null,
      oidcSubject: null,
      disabled: false,
      lockedUntil: null,
      createdAt: tx.now,
      lastLoginAt: null,
    };
  });
  return startSession(services, user, 'setup');
}

export function isSetUp(services: Services): Promise<boolean> {
  return countUsers(services.cubby.db).then((n) => n > 0);
}

/** What the dashboard is told about the signed-in user: their role's permissions and campuses as the guard sees them. */
export function describeUser(user: UserRecord) {
  const principal = userPrincipal(user);
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    siteIds: principal.siteIds === null ? null : [...principal.siteIds],
    permissions: [...principal.permissions],
    lastLoginAt: user.lastLoginAt,
  };
}

/** A role and campus list that make sense together. */
export function checkRoleAndSites(
  role: unknown,
  siteIds: string[] | null | undefined,
): { role: StaffRole; siteIds: string[] | null } {
  if (!isStaffRole(role)) throw new DomainError('bad_request', 'Unknown role');
  if (siteScopedRoles.has(role)) {
    if (!siteIds || siteIds.length === 0)
      throw new DomainError('bad_request', `A ${role.replace('_', ' ')} needs at least one campus`);
    return { role, siteIds: [...new Set(siteIds)] };
  }
  return { role, siteIds: null };
}
