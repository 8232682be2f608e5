import { Type, type Static } from '@sinclair/typebox';
import { staffRoles } from '@cubby/core';
import { Email } from './auth.js';
import { Nullable, OneOf, Time } from './common.js';

/** Dashboard users and roles; API tokens for integrations. */
const Id = Type.String({ minLength: 1, maxLength: 64 });
const SiteIds = Type.Array(Id, { maxItems: 500 });
const Role = OneOf(staffRoles);

export const DashboardUser = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Role,
  siteIds: Nullable(Type.Array(Type.String())),
  sso: Type.Boolean(),
  disabled: Type.Boolean(),
  locked: Type.Boolean(),
  createdAt: Time,
  lastLoginAt: Nullable(Time),
});
export type DashboardUser = Static<typeof DashboardUser>;

export const NewUser = Type.Object(
  {
    email: Email,
    name: Type.String({ minLength: 1, maxLength: 120 }),
    role: Role,
    siteIds: Type.Optional(Nullable(SiteIds)),
    password: Type.Optional(Type.String({ maxLength: 256, description: 'leave out for single-sign-on-only accounts' })),
  },
  { additionalProperties: false },
);
export type NewUser = Static<typeof NewUser>;

export const UserChange = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    role: Type.Optional(Role),
    siteIds: Type.Optional(Nullable(SiteIds)),
    disabled: Type.Optional(Type.Boolean()),
    password: Type.Optional(Type.String({ maxLength: 256 })),
  },
  { additionalProperties: false },
);
export type UserChange = Static<typeof UserChange>;

export const ApiToken = Type.Object({
  id: Type.String(),
  name: Type.String(),
  scopes: Type.Array(Type.String()),
  siteIds: Nullable(Type.Array(Type.String())),
  createdAt: Time,
  createdBy: Nullable(Type.String()),
  revokedAt: Nullable(Time),
  lastUsedAt: Nullable(Time),
});
export type ApiToken = Static<typeof ApiToken>;

export const NewApiToken = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 120 }),
    scopes: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 20 }),
    siteIds: Type.Optional(Nullable(SiteIds)),
  },
  { additionalProperties: false },
);
export type NewApiToken = Static<typeof NewApiToken>;

/** The token's value appears only in this answer. */
export const CreatedApiToken = Type.Object({ id: Type.String(), token: Type.String() });
export type CreatedApiToken = Static<typeof CreatedApiToken>;
