import { Type, type Static } from '@sinclair/typebox';
import { permissions, staffRoles } from '@cubby/core';
import { Nullable, OneOf, Time } from './common.js';

/** Dashboard sign-in, first-run setup and the signed-in user. */
export const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@]+@[^\\s@]+$' });
const Password = Type.String({ minLength: 1, maxLength: 256 });

export const Login = Type.Object({ email: Email, password: Password }, { additionalProperties: false });
export type Login = Static<typeof Login>;

export const Setup = Type.Object(
  {
    email: Email,
    name: Type.String({ minLength: 1, maxLength: 120 }),
    password: Password,
    districtName: Type.Optional(Type.String({ maxLength: 120 })),
  },
  { additionalProperties: false },
);
export type Setup = Static<typeof Setup>;

export const AuthStatus = Type.Object({
  setupRequired: Type.Boolean(),
  oidc: Type.Object({ enabled: Type.Boolean(), label: Nullable(Type.String()) }),
});
export type AuthStatus = Static<typeof AuthStatus>;

/** The signed-in user: their role's permissions and campuses as the server's guard sees them. */
export const Me = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: OneOf(staffRoles),
  siteIds: Nullable(Type.Array(Type.String())),
  permissions: Type.Array(OneOf(permissions)),
  lastLoginAt: Nullable(Time),
});
export type Me = Static<typeof Me>;

/** What sign-in, setup and `/auth/me` answer: the staff member and the session's CSRF token. */
export const StaffSignedIn = Type.Object({ user: Me, csrfToken: Type.String() });
export type StaffSignedIn = Static<typeof StaffSignedIn>;
