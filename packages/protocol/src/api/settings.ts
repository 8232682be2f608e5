import { Type, type Static } from '@sinclair/typebox';
import { Time } from './common.js';

/** The dashboard's settings: campuses, stations and their credentials, the loan policy. */
const Name = Type.String({ minLength: 1, maxLength: 100 });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. America/Chicago' });
const SchoolDayEnd = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  description: 'local end of the school day, HH:MM',
});

export const NewSite = Type.Object(
  { name: Name, timeZone: TimeZone, schoolDayEnd: SchoolDayEnd },
  { additionalProperties: false },
);
export type NewSite = Static<typeof NewSite>;

export const SiteChange = Type.Object(
  { name: Type.Optional(Name), timeZone: Type.Optional(TimeZone), schoolDayEnd: Type.Optional(SchoolDayEnd) },
  { additionalProperties: false, minProperties: 1 },
);
export type SiteChange = Static<typeof SiteChange>;

export const NewStation = Type.Object(
  {
    siteId: Type.String({ maxLength: 64 }),
    name: Name,
    compartments: Type.Integer({ minimum: 1, maximum: 200, description: 'doors, numbered 1…n' }),
    columns: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    chargers: Type.Optional(Type.Boolean({ default: true, description: 'every door has a charger' })),
  },
  { additionalProperties: false },
);
export type NewStation = Static<typeof NewStation>;

export const EnrollmentCode = Type.Object({ code: Type.String(), expiresAt: Time });
export type EnrollmentCode = Static<typeof EnrollmentCode>;

export const LoanPolicy = Type.Object(
  {
    maxActiveLoans: Type.Integer({ minimum: 0, maximum: 10, description: 'loaners one person may hold at once' }),
    minChargePercent: Type.Integer({ minimum: 0, maximum: 100, description: 'loaners below this charge are never handed out' }),
    chargeTimeLimitMinutes: Type.Integer({
      minimum: 1,
      maximum: 7 * 24 * 60,
      description: "how long a student's own device may stay in a charging compartment",
    }),
    requireAgreement: Type.Boolean({ description: 'a first-time borrower must accept the loaner agreement' }),
  },
  { additionalProperties: false },
);
export type LoanPolicy = Static<typeof LoanPolicy>;

/** POST /station/enroll: what the station agent sends before it has any credential, and gets back. */
export const StationEnrollRequest = Type.Object(
  { code: Type.String({ minLength: 4, maxLength: 64 }) },
  { additionalProperties: false },
);
export type StationEnrollRequest = Static<typeof StationEnrollRequest>;
export const StationEnrollment = Type.Object({ stationId: Type.String(), stationName: Type.String(), token: Type.String() });
export type StationEnrollment = Static<typeof StationEnrollment>;
