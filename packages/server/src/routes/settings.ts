import { Type } from '@sinclair/typebox';
import {
  ChargingSettings,
  EnrollmentCode,
  IdParams,
  LoanPolicy,
  NewSite,
  NewStation,
  Problem,
  Site,
  SiteChange,
  Station,
  StationEnrollment,
  StationEnrollRequest,
} from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses, errorResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import { changeChargingSettings, chargingSettings } from '../services/charging-settings.js';
import {
  changeLoanPolicy,
  changeSite,
  createSite,
  createStation,
  enrollStation,
  issueEnrollmentCode,
  loanPolicy,
  revokeStation,
} from '../services/fleet-settings.js';
import { security, typed } from './typed.js';

/** The dashboard's settings: campuses, stations and their credentials, the loan policy. */
export function registerSettingsRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const write = changeResponses;

  api.post(
    '/api/v1/sites',
    {
      config: { access: 'sites:write' },
      schema: {
        tags: ['settings'],
        summary: 'Add a campus (district-wide administrators only)',
        security,
        body: NewSite,
        response: { 201: Site, ...write },
      },
    },
    async (request, reply) => reply.status(201).send(await createSite(services, principalOf(request), request.body)),
  );

  api.patch(
    '/api/v1/sites/:id',
    {
      config: { access: 'sites:write' },
      schema: {
        tags: ['settings'],
        summary: 'Change a campus (site administrators: their own)',
        security,
        params: IdParams,
        body: SiteChange,
        response: { 200: Site, ...write },
      },
    },
    async (request) => changeSite(services, principalOf(request), request.params.id, request.body),
  );

  api.post(
    '/api/v1/stations',
    {
      config: { access: 'sites:write' },
      schema: {
        tags: ['settings'],
        summary: 'Add a station (not enrolled yet: issue it an enrollment code)',
        security,
        body: NewStation,
        response: { 201: Station, ...write },
      },
    },
    async (request, reply) => reply.status(201).send(await createStation(services, principalOf(request), request.body)),
  );

  api.post(
    '/api/v1/stations/:id/enrollment-code',
    {
      config: { access: 'sites:write' },
      schema: {
        tags: ['settings'],
        summary: 'A one-time code (24 h) the station agent exchanges for its credential',
        security,
        params: IdParams,
        response: { 201: EnrollmentCode, ...write },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await issueEnrollmentCode(services, principalOf(request), request.params.id)),
  );

  api.post(
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
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/v1/policy',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags: ['settings'],
        summary: "The district's loan policy",
        security,
        response: { 200: LoanPolicy, ...errorResponses },
      },
    },
    async () => loanPolicy(services),
  );

  api.put(
    '/api/v1/policy',
    {
      config: { access: 'policy:write' },
      schema: {
        tags: ['settings'],
        summary: "Replace the district's loan policy",
        security,
        body: LoanPolicy,
        response: { 200: LoanPolicy, ...errorResponses },
      },
    },
    async (request) => changeLoanPolicy(services, principalOf(request), request.body),
  );

  api.get(
    '/api/v1/settings/charging',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags: ['settings'],
        summary: 'How a loaner’s charge is estimated without a sensor, and when a battery counts as worn',
        security,
        response: { 200: ChargingSettings, ...errorResponses },
      },
    },
    async () => chargingSettings(services),
  );

  api.put(
    '/api/v1/settings/charging',
    {
      config: { access: 'policy:write' },
      schema: {
        tags: ['settings'],
        summary: 'Replace the charge estimate and battery wear settings (docs/hardware.md, docs/google.md)',
        security,
        body: ChargingSettings,
        response: { 200: ChargingSettings, ...errorResponses },
      },
    },
    async (request) => changeChargingSettings(services, principalOf(request), request.body),
  );

  // Outside /api: the station agent calls it before it has any credential.
  api.post(
    '/station/enroll',
    {
      config: { signInThrottle: 'enroll' },
      schema: {
        tags: ['stations'],
        summary: "Exchange a one-time enrollment code for the station's token (once)",
        body: StationEnrollRequest,
        response: { 200: StationEnrollment, 400: Problem, 401: Problem, 429: Problem },
      },
    },
    async (request) => enrollStation(services, request.body.code),
  );
}
