import { Type, type Static } from '@sinclair/typebox';
import { personRoles } from '@cubby/core';
import { Nullable, OneOf, Time } from './common.js';
import { Device, Person } from './lists.js';

/**
 * One person as the dashboard's person page shows them (GET /api/v1/people/:id),
 * the forms that add and edit one, and their PINs. Badge and PIN hashes never
 * leave the server: only whether each is enrolled.
 */
/** A student's guardian or parent from the roster (docs/importing.md#contacts). */
export const PersonContact = Type.Object({
  id: Type.String(),
  relationship: Type.String({ description: 'guardian, parent or relative, as the roster says' }),
  givenName: Type.String(),
  familyName: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
});
export type PersonContact = Static<typeof PersonContact>;

export const PersonProfile = Type.Object({
  person: Person,
  badgeEnrolled: Type.Boolean(),
  pinSet: Type.Boolean(),
  /** Their own (assigned) devices, newest first. */
  devices: Type.Array(Device),
  /** Their guardians and parents from the roster; the route needs people:read. */
  contacts: Type.Array(PersonContact),
  timeZone: Type.String({ description: "the person's campus's time zone (else the district's), for local times" }),
});
export type PersonProfile = Static<typeof PersonProfile>;

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
/** As the kiosk's PIN sign-in takes it (core's validateStudentNumber). */
const StudentNumber = Type.String({ pattern: '^[A-Za-z0-9-]{1,32}$' });
const Grade = Type.String({ pattern: '^(PK|K|[0-9]|1[0-2])$', description: 'PK, K or 1–12' });

export const PersonInput = Type.Object(
  {
    role: OneOf(personRoles),
    givenName: Name,
    familyName: Name,
    siteId: Type.String({ maxLength: 64 }),
    studentNumber: Nullable(StudentNumber),
    grade: Nullable(Grade),
    externalId: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type PersonInput = Static<typeof PersonInput>;

export const PersonChange = Type.Partial(Type.Omit(PersonInput, ['role']), { additionalProperties: false });
export type PersonChange = Static<typeof PersonChange>;

export const PersonActive = Type.Object({ active: Type.Boolean() }, { additionalProperties: false });
export type PersonActive = Static<typeof PersonActive>;

/** A new PIN, shown once: it is stored only as its hash. */
export const PinIssued = Type.Object({ personId: Type.String(), pin: Type.String(), issuedAt: Time });
export type PinIssued = Static<typeof PinIssued>;

export const PinSheetRequest = Type.Object(
  { siteId: Type.String({ maxLength: 64 }), grade: Grade, onlyWithoutPin: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type PinSheetRequest = Static<typeof PinSheetRequest>;

/** One slip of a printed PIN sheet: the PIN is in this answer and nowhere else. */
export const PinSlip = Type.Object({
  personId: Type.String(),
  givenName: Type.String(),
  familyName: Type.String(),
  studentNumber: Type.String(),
  pin: Type.String(),
});
export const PinSheet = Type.Object({
  siteName: Type.String(),
  grade: Type.String(),
  issuedAt: Time,
  timeZone: Type.String(),
  slips: Type.Array(PinSlip),
});
export type PinSheet = Static<typeof PinSheet>;
