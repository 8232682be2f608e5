import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { listApiTokens, type UserRecord } from '@cubby/db';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import type { Services } from '../services/deps.js';
import { changeUser, createApiToken, createUser, listDistrictUsers, revokeToken } from '../services/staff-admin.js';
import { problemSchema } from '../problems.js';
import { errorResponses } from './schemas.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Id = Type.String({ minLength: 1, maxLength: 64 });
const SiteIds = Type.Array(Id, { maxItems: 500 });
const Role = Type.Union(['district_admin', 'site_admin', 'technician', 'auditor'].map((r) => Type.Literal(r)));
const UserView = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  siteIds: Nullable(Type.Array(Type.String())),
  sso: Type.Boolean(),
  disabled: Type.Boolean(),
  locked: Type.Boolean(),
  createdAt: Type.Integer(),
  lastLoginAt: Nullable(Type.Integer()),
});
const NewUser = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' }),
    name: Type.String({ minLength: 1, maxLength: 120 }),
    role: Role,
    siteIds: Type.Optional(Type.Union([SiteIds, Type.Null()])),
    // Leave out for single-sign-on-only accounts.
    password: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
const UserChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    role: Type.Optional(Role),
    siteIds: Type.Optional(Type.Union([SiteIds, Type.Null()])),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
const TokenView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  siteIds: Nullable(Type.Array(Type.String())),
  createdAt: Type.Integer(),
  createdBy: Nullable(Type.String()),
  revokedAt: Nullable(Type.Integer()),
  lastUsedAt: Nullable(Type.Integer()),
});
const NewToken = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    scopes: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 20 }),
    siteIds: Type.Optional(Type.Union([SiteIds, Type.Null()])),
  },
  { additionalProperties: false },
);
const ById = Type.Object({ id: Id });

function view(user: UserRecord) {
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
  const users = { tags: ['users'], security: [{ bearer: [] }] };
  const tokens = { tags: ['api tokens'], security: [{ bearer: [] }] };

  app.get(
    '/api/v1/users',
    {
      config: { access: 'users:write' },
      schema: {
        ...users,
        summary: 'Dashboard users',
        response: { 200: Type.Object({ items: Type.Array(UserView) }), ...errorResponses },
      },
    },
    async (request) => ({ items: (await listDistrictUsers(services, principalOf(request))).map(view) }),
  );
  app.post<{ Body: Static<typeof NewUser> }>(
    '/api/v1/users',
    {
      config: { access: 'users:write' },
      schema: {
        ...users,
        summary: 'Add a dashboard user',
        body: NewUser,
        response: { 201: UserView, 409: problemSchema, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(view(await createUser(services, principalOf(request), request.body))),
  );
  app.patch<{ Params: Static<typeof ById>; Body: Static<typeof UserChange> }>(
    '/api/v1/users/:id',
    {
      config: { access: 'users:write' },
      schema: {
        ...users,
        summary: 'Change a user (role, campuses, password, disabled)',
        params: ById,
        body: UserChange,
        response: { 200: UserView, 409: problemSchema, ...errorResponses },
      },
    },
    async (request) => view(await changeUser(services, principalOf(request), request.params.id, request.body)),
  );
  app.delete<{ Params: Static<typeof ById> }>(
    '/api/v1/users/:id',
    {
      config: { access: 'users:write' },
      schema: {
        ...users,
        summary: 'Disable a user (kept for the audit log)',
        params: ById,
        response: { 204: Type.Null(), 409: problemSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      await changeUser(services, principalOf(request), request.params.id, { disabled: true });
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/api-tokens',
    {
      config: { access: 'tokens:write' },
      schema: {
        ...tokens,
        summary: 'API tokens (never their values)',
        response: { 200: Type.Object({ items: Type.Array(TokenView) }), ...errorResponses },
      },
    },
    async () => ({ items: await listApiTokens(services.cubby.db) }),
  );
  app.post<{ Body: Static<typeof NewToken> }>(
    '/api/v1/api-tokens',
    {
      config: { access: 'tokens:write' },
      schema: {
        ...tokens,
        summary: 'Create an API token; its value is shown only in this answer',
        body: NewToken,
        response: { 201: Type.Object({ id: Type.String(), token: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createApiToken(services, principalOf(request), request.body)),
  );
  app.delete<{ Params: Static<typeof ById> }>(
    '/api/v1/api-tokens/:id',
    {
      config: { access: 'tokens:write' },
      schema: { ...tokens, summary: 'Revoke an API token', params: ById, response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      await revokeToken(services, principalOf(request), request.params.id);
      return reply.status(204).send();
    },
  );
}
