import { timingSafeEqual } from 'node:crypto';
import { DomainError, isPermission, userPrincipal, type Permission, type Principal } from '@cubby/core';
import { findApiTokenByHash, findSession, touchApiToken, type Executor, type UserRecord } from '@cubby/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken } from '../secrets.js';

/**
 * Who may call an /api/ route, declared on the route itself:
 * `{ config: { access: 'fleet:read' } }`. A route without a declaration is
 * refused to everyone, so forgetting it fails closed.
 */
export type Access = 'public' | 'signed-in' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Set when the principal came from a session cookie (not a bearer token). */
    session: SignedInSession | null;
  }
}

/** A dashboard session as the guard found it: routes use it rather than reading it again. */
export interface SignedInSession {
  idHash: string;
  csrfToken: string;
  user: UserRecord;
}

export const sessionCookie = 'cubby_session';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Legacy tokens made before scopes (`['read']`) keep what they could do: read everything. */
const legacyScopes: Record<string, readonly Permission[]> = { read: ['fleet:read', 'people:read', 'audit:read'] };

export function registerAccessGuard(app: FastifyInstance, db: Executor): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);
  const noteTokenUse = tokenUseRecorder(db);
  app.addHook('onRequest', async (request) => {
    // The matched route decides too: the router decodes `/%61pi/…` to an /api/ route the raw URL does not show.
    const url = request.routeOptions.url ?? request.url;
    if (!url.startsWith('/api/') && !request.url.startsWith('/api/')) return;
    const access = request.routeOptions.config?.access;
    if (!request.routeOptions.url) return; // unknown route: the 404 handler answers
    await identify(request, db, noteTokenUse);
    if (access === 'public') return;
    if (access === undefined) throw new DomainError('forbidden', 'This route declares no access rule');
    const principal = request.principal;
    if (!principal) throw new DomainError('unauthenticated');
    if (access !== 'signed-in' && !principal.permissions.has(access)) {
      throw new DomainError('forbidden', `This needs the ${access} permission`);
    }
    // A cookie rides along with any request the browser makes, so a changing
    // request must also prove it came from our page; a bearer token cannot be sent by another site.
    if (request.session && !safeMethods.has(request.method)) checkCsrf(request, request.session.csrfToken);
  });
}

async function identify(request: FastifyRequest, db: Executor, noteTokenUse: (tokenId: string) => Promise<void>): Promise<void> {
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (bearer) {
    const token = await findApiTokenByHash(db, hashToken(bearer));
    if (!token) throw new DomainError('unauthenticated', 'This API token is not valid');
    await noteTokenUse(token.id);
    const granted = token.scopes.flatMap((s) => legacyScopes[s] ?? (isPermission(s) ? [s] : []));
    request.principal = {
      kind: 'token',
      id: token.id,
      name: token.name,
      role: null,
      permissions: new Set(granted),
      siteIds: token.siteIds,
    };
    return;
  }
  const cookie = request.cookies[sessionCookie];
  if (!cookie) return;
  const idHash = hashToken(cookie);
  const session = await findSession(db, idHash, Date.now());
  if (!session) return;
  request.session = { idHash, csrfToken: session.csrfToken, user: session.user };
  request.principal = userPrincipal(session.user);
}

/**
 * `last used` is kept to the minute; remembering when this server last wrote
 * it keeps an integration's every request from also being a database write.
 */
function tokenUseRecorder(db: Executor): (tokenId: string) => Promise<void> {
  const touchedAt = new Map<string, number>();
  return async (tokenId) => {
    const now = Date.now();
    if (now - (touchedAt.get(tokenId) ?? 0) < 60_000) return;
    touchedAt.set(tokenId, now);
    await touchApiToken(db, tokenId, now);
  };
}

function checkCsrf(request: FastifyRequest, csrfToken: string): void {
  const given = request.headers['x-csrf-token'];
  const expected = Buffer.from(csrfToken);
  const got = typeof given === 'string' ? Buffer.from(given) : null;
  if (!got || got.length !== expected.length || !timingSafeEqual(got, expected)) throw new DomainError('csrf_failed');
}

/** The principal of a route that required one (the guard already refused anonymous calls). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new DomainError('unauthenticated');
  return request.principal;
}
