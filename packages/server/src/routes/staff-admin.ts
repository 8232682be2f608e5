import { Type } from '@sinclair/typebox';
import { listApiTokens, type UserRecord } from '@cubby/db';
import {
  ApiToken,
  CreatedApiToken,
  DashboardUser,
  IdParams,
  ItemsOf,
  NewApiToken,
  NewUser,
  UserChange,
} from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses, errorResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import { changeUser, createApiToken, createUser, listDistrictUsers, revokeToken } from '../services/staff-admin.js';
import { security, typed } from './typed.js';

function view(user: UserRecord): DashboardUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    siteIds: user.siteIds,
    sso: user.oidcSubject !== null,
    disabled: user.disabled,
    locked: user.lockedUntil !== null && user.lockedUntil > Date.now(),
    createdAt: user.createdAt,
    lastLoginAt: user.lastLoginAt,
  };
}

/** Dashboard users and roles; API tokens for integrations. */
export function registerStaffAdminRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const users = { tags: ['users'], security };
  const tokens = { tags: ['api tokens'], security };

  api.get(
    '/api/v1/users',
    {
      config: { access: 'users:write' },
      schema: {
        ...users,
        summary: 'Dashboard users',
        response: { 200: ItemsOf(DashboardUser), ...errorResponses },
      },
    },
    async (request) => ({ items: (await listDistrictUsers(services, principalOf(request))).map(view) }),
  );
  api.post(
    '/api/v1/users',
    {
      config: { access: 'users:write' },
      schema: {
        ...users,
        summary: 'Add a dashboard user',
        body: NewUser,
        response: { 201: DashboardUser, ...changeResponses },
      },
    },
    async (request, reply) => reply.status(201).send(view(await createUser(services, principalOf(request), request.body))),
  );
  api.patch(
    '/api/v1/users/:id',
    {
      config: { access: 'users:write' },
      schema: {
        ...users,
        summary: 'Change a user (role, campuses, password, disabled)',
        params: IdParams,
        body: UserChange,
        response: { 200: DashboardUser, ...changeResponses },
      },
    },
    async (request) => view(await changeUser(services, principalOf(request), request.params.id, request.body)),
  );
  api.delete(
    '/api/v1/users/:id',
    {
      config: { access: 'users:write' },
      schema: {
        ...users,
        summary: 'Disable a user (kept for the audit log)',
        params: IdParams,
        response: { 204: Type.Null(), ...changeResponses },
      },
    },
    async (request, reply) => {
      await changeUser(services, principalOf(request), request.params.id, { disabled: true });
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/v1/api-tokens',
    {
      config: { access: 'tokens:write' },
      schema: {
        ...tokens,
        summary: 'API tokens (never their values)',
        response: { 200: ItemsOf(ApiToken), ...errorResponses },
      },
    },
    async () => ({ items: await listApiTokens(services.cubby.db) }),
  );
  api.post(
    '/api/v1/api-tokens',
    {
      config: { access: 'tokens:write' },
      schema: {
        ...tokens,
        summary: 'Create an API token; its value is shown only in this answer',
        body: NewApiToken,
        response: { 201: CreatedApiToken, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createApiToken(services, principalOf(request), request.body)),
  );
  api.delete(
    '/api/v1/api-tokens/:id',
    {
      config: { access: 'tokens:write' },
      schema: { ...tokens, summary: 'Revoke an API token', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      await revokeToken(services, principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
