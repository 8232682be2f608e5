import {
  IdParams,
  Problem,
  RepairBoard,
  RepairBoardQuery,
  RepairChange,
  RepairMoveInput,
  RepairOpen,
  RepairPhoto,
  RepairPhotoParams,
  repairPhotoMaxBytes,
  repairPhotoTypes,
  RepairTicketDetail,
} from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses, errorResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import { repairBoard } from '../services/repairs/board.js';
import { changeRepair, moveRepair, openRepair } from '../services/repairs/changes.js';
import { addRepairPhoto, repairPhotoBytes } from '../services/repairs/photos.js';
import { repairTicketDetail } from '../services/repairs/ticket.js';
import { security, typed } from './typed.js';

/** The repair board and the ticket page (docs/dashboard-api.md "Repairs"); the list stays GET /api/v1/repair-tickets. */
export function registerRepairRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['repairs'];
  const { cubby } = services;

  api.get(
    '/api/v1/repairs/board',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags,
        summary:
          'The repair board: tickets by state with each card’s age in its state, and turnaround (median, p90) per state and end to end, overall, per campus and per model',
        security,
        querystring: RepairBoardQuery,
        response: { 200: RepairBoard, ...errorResponses },
      },
    },
    async (request) => repairBoard(cubby.db, principalOf(request), request.query),
  );

  api.get(
    '/api/v1/repairs/:id',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags,
        summary:
          'One ticket: its device and warranty, person, notes, parts, cost, who did each step, photos, and swap → loaner → pickup',
        security,
        params: IdParams,
        response: { 200: RepairTicketDetail, ...errorResponses },
      },
    },
    async (request) => repairTicketDetail(cubby.db, principalOf(request), request.params.id),
  );

  registerRepairChangeRoutes(app, services);
  registerRepairPhotoRoutes(app, services);
}

/** Opening a ticket by hand, the bench's moves and the ticket's edits: repairs:write, audited. */
function registerRepairChangeRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['repairs'];
  api.post(
    '/api/v1/repairs',
    {
      config: { access: 'repairs:write' },
      schema: {
        tags,
        summary:
          'Open a ticket by hand (a device brought to the IT office): it starts collected, the device goes to repair; audited',
        security,
        body: RepairOpen,
        response: { 201: RepairTicketDetail, ...changeResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await openRepair(services, principalOf(request), request.body)),
  );

  api.post(
    '/api/v1/repairs/:id/move',
    {
      config: { access: 'repairs:write' },
      schema: {
        tags,
        summary: 'Move a ticket on the bench (repair started, finished) or retire it with its device; 409 when stale; audited',
        security,
        params: IdParams,
        body: RepairMoveInput,
        response: { 200: RepairTicketDetail, ...changeResponses },
      },
    },
    async (request) => moveRepair(services, principalOf(request), request.params.id, request.body),
  );

  api.patch(
    '/api/v1/repairs/:id',
    {
      config: { access: 'repairs:write' },
      schema: {
        tags,
        summary: 'Edit a ticket’s notes, parts, cost, vendor/RMA reference or technician; audited',
        security,
        params: IdParams,
        body: RepairChange,
        response: { 200: RepairTicketDetail, ...changeResponses },
      },
    },
    async (request) => changeRepair(services, principalOf(request), request.params.id, request.body),
  );
}

/** A ticket's photos: served with their type, uploaded as the raw image. */
function registerRepairPhotoRoutes(app: FastifyInstance, services: Services): void {
  const tags = ['repairs'];
  // Untyped: its answer is the image's bytes, not JSON.
  app.get<{ Params: RepairPhotoParams }>(
    '/api/v1/repairs/:id/photos/:photoId',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags,
        summary: 'A photo’s bytes, with its image type',
        security,
        params: RepairPhotoParams,
        response: errorResponses,
      },
    },
    async (request, reply) => {
      const photo = await repairPhotoBytes(services, principalOf(request), request.params.id, request.params.photoId);
      return reply
        .type(photo.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', 'inline')
        .header('cache-control', 'private, max-age=3600')
        .send(photo.bytes);
    },
  );

  // The photo upload takes the raw image as its body (only in this scope), at most 5 MB.
  void app.register(async (scope) => {
    scope.addContentTypeParser([...repairPhotoTypes], { parseAs: 'buffer', bodyLimit: repairPhotoMaxBytes }, (_r, body, done) =>
      done(null, body),
    );
    typed(scope).post(
      '/api/v1/repairs/:id/photos',
      {
        config: { access: 'repairs:write' },
        bodyLimit: repairPhotoMaxBytes,
        schema: {
          tags,
          summary: 'Attach a photo: the raw JPEG, PNG or WebP image as the body (at most 5 MB, its bytes checked); audited',
          security,
          params: IdParams,
          response: { 201: RepairPhoto, ...changeResponses, 413: Problem, 415: Problem },
        },
      },
      async (request, reply) =>
        reply.status(201).send(
          await addRepairPhoto(services, principalOf(request), request.params.id, {
            body: request.body,
            contentType: request.headers['content-type'],
          }),
        ),
    );
  });
}
