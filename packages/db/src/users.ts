import { sql } from 'kysely';
import type { UserTable } from './schema.js';
import type { Executor } from './transaction.js';
import { parseJson } from './json.js';

/** A dashboard user as the server works with it (site ids parsed, no hashes). */
export interface UserRecord {
  id: string;
  districtId: string;
  email: string;
  name: string;
  role: UserTable['role'];
  siteIds: string[] | null;
  oidcSubject: string | null;
  disabled: boolean;
  lockedUntil: number | null;
  createdAt: number;
  lastLoginAt: number | null;
}

const userColumns = [
  'id',
  'district_id',
  'email',
  'name',
  'role',
  'site_ids',
  'oidc_subject',
  'disabled',
  'locked_until',
  'created_at',
  'last_login_at',
] as const;

type UserRow = Pick<UserTable, (typeof userColumns)[number]>;

export function toUserRecord(row: UserRow): UserRecord {
  return {
    id: row.id,
    districtId: row.district_id,
    email: row.email,
    name: row.name,
    role: row.role,
    siteIds: row.site_ids === null ? null : parseJson<string[]>(row.site_ids),
    oidcSubject: row.oidc_subject,
    disabled: row.disabled === 1,
    lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
    createdAt: Number(row.created_at),
    lastLoginAt: row.last_login_at === null ? null : Number(row.last_login_at),
  };
}

export async function countUsers(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertUser(
  db: Executor,
  user: {
    id: string;
    districtId: string;
    email: string;
    name: string;
    role: UserTable['role'];
    siteIds: string[] | null;
    passwordHash: string | null;
    oidcSubject?: string | null;
    now: number;
  },
): Promise<void> {
  await db
    .insertInto('users')
    .values({
      id: user.id,
      district_id: user.districtId,
      email: user.email.toLowerCase(),
      name: user.name,
      role: user.role,
      site_ids: user.siteIds === null ? null : JSON.stringify(user.siteIds),
      password_hash: user.passwordHash,
      oidc_subject: user.oidcSubject ?? null,
      failed_logins: 0,
      locked_until: null,
      disabled: 0,
      created_at: user.now,
      last_login_at: null,
    })
    .execute();
}

export async function findUserById(db: Executor, id: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').select(userColumns).where('id', '=', id).executeTakeFirst();
  return row && toUserRecord(row);
}

export async function findUserByOidcSubject(db: Executor, subject: string): Promise<UserRecord | undefined> {
  const row = await db.selectFrom('users').select(userColumns).where('oidc_subject', '=', subject).executeTakeFirst();
  return row && toUserRecord(row);
}

/** With the password hash and failure count: only for checking a sign-in. */
export async function findUserForLogin(db: Executor, email: string) {
  const row = await db
    .selectFrom('users')
    .select([...userColumns, 'password_hash', 'failed_logins'])
    .where('email', '=', email.toLowerCase())
    .executeTakeFirst();
  return row && { ...toUserRecord(row), passwordHash: row.password_hash, failedLogins: Number(row.failed_logins) };
}

export async function listUsers(db: Executor, districtId: string): Promise<UserRecord[]> {
  const rows = await db.selectFrom('users').select(userColumns).where('district_id', '=', districtId).orderBy('email').execute();
  return rows.map(toUserRecord);
}

export async function updateUser(
  db: Executor,
  id: string,
  changes: Partial<{
    name: string;
    role: UserTable['role'];
    siteIds: string[] | null;
    passwordHash: string | null;
    oidcSubject: string | null;
    disabled: boolean;
    failedLogins: number;
    lockedUntil: number | null;
    lastLoginAt: number;
  }>,
): Promise<boolean> {
  const set: Partial<UserTable> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.siteIds !== undefined) set.site_ids = changes.siteIds === null ? null : JSON.stringify(changes.siteIds);
  if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash;
  if (changes.oidcSubject !== undefined) set.oidc_subject = changes.oidcSubject;
  if (changes.disabled !== undefined) set.disabled = changes.disabled ? 1 : 0;
  if (changes.failedLogins !== undefined) set.failed_logins = changes.failedLogins;
  if (changes.lockedUntil !== undefined) set.locked_until = changes.lockedUntil;
  if (changes.lastLoginAt !== undefined) set.last_login_at = changes.lastLoginAt;
  if (Object.keys(set).length === 0) return true;
  const r = await db.updateTable('users').set(set).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/**
 * Takes one sign-in attempt of an account before its password is checked, so
 * guesses sent at once are counted one by one: the answer is the attempt's
 * number (1 after a lock ran out), or undefined while the account is locked.
 * A right password gives its attempt back (startSession clears the count).
 */
export function reserveSignInAttemptQuery(db: Executor, userId: string, now: number) {
  return db
    .updateTable('users')
    .set({
      failed_logins: sql<number>`case when locked_until is null then failed_logins + 1 else 1 end`,
      locked_until: null,
    })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .returning('failed_logins');
}

export async function reserveSignInAttempt(db: Executor, userId: string, now: number): Promise<number | undefined> {
  const row = await reserveSignInAttemptQuery(db, userId, now).executeTakeFirst();
  return row && Number(row.failed_logins);
}

export async function insertSession(
  db: Executor,
  session: { idHash: string; userId: string; csrfToken: string; now: number; expiresAt: number },
) {
  await db
    .insertInto('user_sessions')
    .values({
      id_hash: session.idHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: session.now,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** A live session and its user; disabled users have none. */
export async function findSession(db: Executor, idHash: string, now: number) {
  const row = await db
    .selectFrom('user_sessions')
    .innerJoin('users', 'users.id', 'user_sessions.user_id')
    .select([
      'user_sessions.csrf_token',
      'user_sessions.expires_at',
      'users.id',
      'users.district_id',
      'users.email',
      'users.name',
      'users.role',
      'users.site_ids',
      'users.oidc_subject',
      'users.disabled',
      'users.locked_until',
      'users.created_at',
      'users.last_login_at',
    ])
    .where('user_sessions.id_hash', '=', idHash)
    .where('user_sessions.expires_at', '>', now)
    .where('users.disabled', '=', 0)
    .executeTakeFirst();
  return row && { csrfToken: row.csrf_token, expiresAt: Number(row.expires_at), user: toUserRecord(row) };
}

export async function deleteSession(db: Executor, idHash: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('id_hash', '=', idHash).execute();
}

export async function deleteUserSessions(db: Executor, userId: string): Promise<void> {
  await db.deleteFrom('user_sessions').where('user_id', '=', userId).execute();
}

export async function deleteExpiredSessions(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('user_sessions').where('expires_at', '<=', now).execute();
}

/** Whether a dashboard user already has this email (stored lower-case). */
export async function isEmailTaken(db: Executor, email: string): Promise<boolean> {
  return (await db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()).executeTakeFirst()) !== undefined;
}

/** Whether the district has an active district admin besides this user. */
export async function hasOtherDistrictAdmin(db: Executor, districtId: string, exceptUserId: string): Promise<boolean> {
  const other = await db
    .selectFrom('users')
    .select('id')
    .where('district_id', '=', districtId)
    .where('role', '=', 'district_admin')
    .where('disabled', '=', 0)
    .where('id', '!=', exceptUserId)
    .executeTakeFirst();
  return other !== undefined;
}

/**
 * Two first-run setups racing must not both win: on PostgreSQL the audit
 * chain's head row (there on an empty database too) is taken for the rest of
 * the transaction. SQLite already serialises writers with BEGIN IMMEDIATE.
 */
export async function lockFirstRunSetup(db: Executor, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await db.selectFrom('audit_chain').select('id').forUpdate().execute();
}
