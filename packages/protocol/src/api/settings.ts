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
    collectAllDoorsAtOnce: Type.Optional(
      Type.Boolean({
        description:
          "a technician's collection unlocks every door holding a flagged device at once (default: one after the other)",
      }),
    ),
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

const Minutes = (description: string) => Type.Integer({ minimum: 1, maximum: 24 * 60, description });
const ChargeCurve = Type.Object(
  {
    fastUntilPercent: Type.Integer({ minimum: 1, maximum: 99, description: 'where fast charging ends (about 80 %)' }),
    fastMinutes: Minutes('minutes from empty to fastUntilPercent'),
    slowMinutes: Minutes('minutes from fastUntilPercent to full'),
  },
  { additionalProperties: false },
);

/**
 * How Cubby judges a loaner's charge without a sensor (docs/hardware.md) and
 * when a battery counts as worn (docs/google.md): PUT replaces both.
 */
export const ChargingSettings = Type.Object(
  {
    estimate: Type.Object(
      {
        defaultPercent: Type.Integer({
          minimum: 0,
          maximum: 100,
          description: 'the level a returned loaner is assumed to have when nothing measured it',
        }),
        reportedStaleMinutes: Type.Integer({
          minimum: 1,
          maximum: 7 * 24 * 60,
          description: 'how long a measured level (sensor, Google telemetry) is trusted',
        }),
        defaultCurve: ChargeCurve,
        // A model name: 1–100 characters, no space at either end (TypeBox turns the key's pattern into patternProperties).
        curves: Type.Record(Type.RegExp(/^\S(.{0,98}\S)?$/), ChargeCurve, {
          additionalProperties: false,
          maxProperties: 50,
          description: 'a curve per device model, by the model name Cubby has for it',
        }),
      },
      { additionalProperties: false },
    ),
    batteryWear: Type.Object(
      {
        schoolDayHours: Type.Number({ exclusiveMinimum: 0, maximum: 24, description: 'hours a loaner must last' }),
        ratedHours: Type.Number({ exclusiveMinimum: 0, maximum: 48, description: 'hours a new battery lasts' }),
        maxCycleCount: Type.Integer({ minimum: 1, maximum: 100_000, description: 'cycles after which a battery is worn' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type ChargingSettings = Static<typeof ChargingSettings>;
