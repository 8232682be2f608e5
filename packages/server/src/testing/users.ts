import type { StaffRole } from '@cubby/core';
import { findFirstDistrict, insertUser, newId, type CubbyDb } from '@cubby/db';
import type { FastifyInstance } from 'fastify';
import { hashPassword } from '../services/staff-auth.js';

let counter = 0;

/** A dashboard user with a password (argon2id), in the first district. */
export async function aUser(
  cubby: CubbyDb,
  options: { role: StaffRole; siteIds?: string[] | null; email?: string; password?: string; name?: string; oidcSubject?: string },
) {
  const district = await findFirstDistrict(cubby.db);
  if (!district) throw new Error('aUser needs a district first');
  counter += 1;
  const id = newId();
  const email = options.email ?? `${options.role.replace('_', '-')}-${counter}@district.test`;
  const password = options.password ?? `correct horse ${counter} battery`;
  await insertUser(cubby.db, {
    id,
    districtId: district.id,
    email,
    name: options.name ?? `${options.role} ${counter}`,
    role: options.role,
    siteIds: options.siteIds ?? null,
    passwordHash: await hashPassword(password),
    oidcSubject: options.oidcSubject ?? null,
    now: Date.now(),
  });
  return { id, email, password };
}

/** What a signed-in browser sends back: the session cookie and, on changes, the CSRF token. */
export interface Browser {
  cookie: string;
  csrfToken: string;
  /** Headers for a request made as this user (with the CSRF token). */
  headers: Record<string, string>;
}

export async function signIn(app: FastifyInstance, user: { email: string; password: string }): Promise<Browser> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: user.password },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const session = res.cookies.find((c) => c.name === 'cubby_session');
  if (!session) throw new Error('no session cookie');
  const cookie = `cubby_session=${session.value}`;
  const csrfToken = res.json<{ csrfToken: string }>().csrfToken;
  return { cookie, csrfToken, headers: { cookie, 'x-csrf-token': csrfToken } };
}
