import { DomainError } from '@cubby/core';
import { findApiTokenByHash, type Executor } from '@cubby/db';
import type { FastifyInstance } from 'fastify';
import { hashToken } from '../secrets.js';

/**
 * The REST API requires a bearer API token until sign-in and roles arrive;
 * tokens are stored as hashes and created with `cubby token create`.
 */
export function requireApiToken(app: FastifyInstance, db: Executor): void {
  app.addHook('onRequest', async (request) => {
    // The matched route decides too: the router decodes `/%61pi/…` to an /api/ route the raw URL does not show.
    if (!request.url.startsWith('/api/') && !request.routeOptions.url?.startsWith('/api/')) return;
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw new DomainError('forbidden', 'An API token is required (Authorization: Bearer …)');
    const found = await findApiTokenByHash(db, hashToken(token));
    if (!found) throw new DomainError('forbidden', 'This API token is not valid');
  });
}
