import { Type } from '@sinclair/typebox';
import type { LoanPolicy } from '@cubby/core';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { problemSchema } from '../problems.js';
import type { Services } from '../services/deps.js';
import {
  changeLoanPolicy,
  changeSite,
  createSite,
  createStation,
  enrollStation,
  issueEnrollmentCode,
  loanPolicy,
  revokeStation,
  type SiteInput,
  type StationInput,
} from '../services/fleet-settings.js';
import { errorResponses, Site, Station, Time } from './schemas.js';

const Name = Type.String({ minLength: 1, maxLength: 100 });
const TimeZone = Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. America/Chicago' });
const SchoolDayEnd = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  description: 'local end of the school day, HH:MM',
});
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

export const LoanPolicySchema = Type.Object(
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

/** The dashboard's settings: campuses, stations and their credentials, the loan policy. */
export function registerSettingsRoutes(app: FastifyInstance, services: Services): void {
  const security = [{ bearer: [] }];
  const write = { ...errorResponses, 409: problemSchema };

  app.post<{ Body: SiteInput }>(
    '/api/v1/sites',
    {
      config: { access: 'sites:write' },
      schema: {
        tags: ['settings'],
        summary: 'Add a campus (district-wide administrators only)',
        security,
        body: Type.Object({ name: Name, timeZone: TimeZone, schoolDayEnd: SchoolDayEnd }, { additionalProperties: false }),
        response: { 201: Site, ...write },
      },
    },
    async (request, reply) => reply.status(201).send(await createSite(services, principalOf(request), request.body)),
  );

  app.patch<{ Params: { id: string }; Body: Partial<SiteInput> }>(
    '/api/v1/sites/:id',
    {
      config: { access: 'sites:write' },
      schema: {
        tags: ['settings'],
        summary: 'Change a campus (site administrators: their own)',
        security,
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Name), timeZone: Type.Optional(TimeZone), schoolDayEnd: Type.Optional(SchoolDayEnd) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Site, ...write },
      },
    },
    async (request) => changeSite(services, principalOf(request), request.params.id, request.body),
  );

  app.post<{ Body: StationInput }>(
    '/api/v1/stations',
    {
      config: { access: 'sites:write' },
      schema: {
        tags: ['settings'],
        summary: 'Add a station (not enrolled yet: issue it an enrollment code)',
        security,
        body: Type.Object(
          {
            siteId: Type.String({ maxLength: 64 }),
            name: Name,
            compartments: Type.Integer({ minimum: 1, maximum: 200, description: 'doors, numbered 1…n' }),
            columns: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
            rows: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
            chargers: Type.Optional(Type.Boolean({ default: true, description: 'every door has a charger' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: Station, ...write },
      },
    },
    async (request, reply) => reply.status(201).send(await createStation(services, principalOf(request), request.body)),
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/stations/:id/enrollment-code',
    {
      config: { access: 'sites:write' },
      schema: {
        tags: ['settings'],
        summary: 'A one-time code (24 h) the station agent exchanges for its credential',
        security,
        params: IdParams,
        response: { 201: Type.Object({ code: Type.String(), expiresAt: Time }), ...write },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await issueEnrollmentCode(services, principalOf(request), request.params.id)),
  );

  app.post<{ Params: { id: string } }>(
    '/api/v1/stations/:id/revoke',
    {
      config: { access: 'sites:write' },
      schema: {
        tags: ['settings'],
        summary: "Revoke the station's credential and close its link",
        security,
        params: IdParams,
        response: { 204: Type.Null(), ...write },
      },
    },
    async (request, reply) => {
      await revokeStation(services, principalOf(request), request.params.id);
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/policy',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags: ['settings'],
        summary: "The district's loan policy",
        security,
        response: { 200: LoanPolicySchema, ...errorResponses },
      },
    },
    async () => loanPolicy(services),
  );

  app.put<{ Body: LoanPolicy }>(
    '/api/v1/policy',
    {
      config: { access: 'policy:write' },
      schema: {
        tags: ['settings'],
        summary: "Replace the district's loan policy",
        security,
        body: LoanPolicySchema,
        response: { 200: LoanPolicySchema, ...errorResponses },
      },
    },
    async (request) => changeLoanPolicy(services, principalOf(request), request.body),
  );

  // Outside /api: the station agent calls it before it has any credential.
  app.post<{ Body: { code: string } }>(
    '/station/enroll',
    {
      schema: {
        tags: ['stations'],
        summary: "Exchange a one-time enrollment code for the station's token (once)",
        body: Type.Object({ code: Type.String({ minLength: 4, maxLength: 64 }) }, { additionalProperties: false }),
        response: {
          200: Type.Object({ stationId: Type.String(), stationName: Type.String(), token: Type.String() }),
          400: problemSchema,
          401: problemSchema,
        },
      },
    },
    async (request) => enrollStation(services, request.body.code),
  );
}
