import {
  IdParams,
  Person,
  PersonActive,
  PersonChange,
  PersonInput,
  PersonProfile,
  PinIssued,
  PinSheet,
  PinSheetRequest,
} from '@cubby/protocol/api';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses, errorResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import { addPerson, changePerson, changePersonActive } from '../services/people/person-edit.js';
import { personProfile } from '../services/people/person-profile.js';
import { issuePinSheet, resetPin } from '../services/people/pins.js';
import { security, typed } from './typed.js';

/** One person: the person page, adding and editing by hand, deactivating, PINs (docs/dashboard-api.md "People"). */
export function registerPeopleRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['people'];
  const { cubby } = services;

  api.get(
    '/api/v1/people/:id',
    {
      config: { access: 'people:read' },
      schema: {
        tags,
        summary: 'One person, whether a badge and a PIN are enrolled (never the hashes), their own devices',
        security,
        params: IdParams,
        response: { 200: PersonProfile, ...errorResponses },
      },
    },
    async (request) => personProfile(cubby.db, principalOf(request), request.params.id),
  );

  api.post(
    '/api/v1/people',
    {
      config: { access: 'people:write' },
      schema: {
        tags,
        summary: 'Add one student or staff member; audited',
        security,
        body: PersonInput,
        response: { 201: Person, ...changeResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await addPerson(services, principalOf(request), request.body)),
  );

  api.patch(
    '/api/v1/people/:id',
    {
      config: { access: 'people:write' },
      schema: {
        tags,
        summary: "Change a person's name, campus, student number, grade or external id; audited",
        security,
        params: IdParams,
        body: PersonChange,
        response: { 200: Person, ...changeResponses },
      },
    },
    async (request) => changePerson(services, principalOf(request), request.params.id, request.body),
  );

  api.put(
    '/api/v1/people/:id/active',
    {
      config: { access: 'people:write' },
      schema: {
        tags,
        summary: 'Deactivate (no kiosk sign-in, history kept) or reactivate a person; audited',
        security,
        params: IdParams,
        body: PersonActive,
        response: { 200: Person, ...changeResponses },
      },
    },
    async (request) => changePersonActive(services, principalOf(request), request.params.id, request.body.active),
  );

  registerPinRoutes(app, services);
}

/** New kiosk PINs: one student's, or a grade's as a printed sheet. */
function registerPinRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['people'];
  // A new PIN is in one answer only: no cache on the way may keep it.
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  api.post(
    '/api/v1/people/:id/pin',
    {
      config: { access: 'people:write' },
      schema: {
        tags,
        summary:
          'A new kiosk PIN for one student, shown once (stored only as its hash); clears a PIN lockout; audited without the PIN',
        security,
        params: IdParams,
        response: { 200: PinIssued, ...changeResponses },
      },
    },
    async (request, reply) => noStore(reply).send(await resetPin(services, principalOf(request), request.params.id)),
  );

  api.post(
    '/api/v1/pin-sheets',
    {
      config: { access: 'people:write' },
      schema: {
        tags,
        summary:
          'New kiosk PINs for the active students of a grade at a campus, for a printed sheet: shown once, stored only as hashes; audited without the PINs',
        security,
        body: PinSheetRequest,
        response: { 200: PinSheet, ...changeResponses },
      },
    },
    async (request, reply) => noStore(reply).send(await issuePinSheet(services, principalOf(request), request.body)),
  );
}
