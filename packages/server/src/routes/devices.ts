import { Type, type TSchema } from '@sinclair/typebox';
import {
  Device,
  DeviceAssignment,
  DeviceBulkAction,
  DeviceBulkResult,
  DeviceChange,
  DeviceInput,
  DeviceNote,
  DeviceProfile,
  DeviceRetirement,
  DeviceTimeline,
  DeviceWipe,
  IdParams,
  TextInteger,
} from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses, errorResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import { assignDevice, unassignDevice } from '../services/devices/assignment.js';
import { addDevice, changeDevice } from '../services/devices/device-edit.js';
import { deviceProfile, deviceTimeline } from '../services/devices/device-profile.js';
import { bulkDeviceAction, deviceLifecycleStep } from '../services/devices/lifecycle.js';
import { security, typed } from './typed.js';

const TimelineQuery = Type.Object(
  {
    limit: Type.Optional(TextInteger({ minimum: 1, maximum: 500, default: 100 })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$', description: 'a sequence number, from nextCursor' })),
  },
  { additionalProperties: false },
);

/** One device: the device page, its timeline, adding and editing by hand, a student's own device (docs/dashboard-api.md "Devices"). */
export function registerDeviceRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['devices'];
  const { cubby } = services;

  api.get(
    '/api/v1/devices/:id',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags,
        summary: 'One device: where it is, its owner, its battery and where the reading came from',
        security,
        params: IdParams,
        response: { 200: DeviceProfile, ...errorResponses },
      },
    },
    async (request) => deviceProfile(services, principalOf(request), request.params.id),
  );

  api.get(
    '/api/v1/devices/:id/timeline',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags,
        summary:
          'Every audit event of the device (its loans, repairs, charges, the kiosk visits that moved it, its edits), newest first',
        security,
        params: IdParams,
        querystring: TimelineQuery,
        response: { 200: DeviceTimeline, ...errorResponses },
      },
    },
    async (request) =>
      deviceTimeline(cubby.db, principalOf(request), request.params.id, {
        limit: request.query.limit ?? 100,
        cursor: request.query.cursor === undefined ? undefined : Number(request.query.cursor),
      }),
  );

  registerDeviceEditRoutes(app, services);
}

/** Adding and editing one device by hand. */
function registerDeviceEditRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['devices'];

  api.post(
    '/api/v1/devices',
    {
      config: { access: 'devices:write' },
      schema: {
        tags,
        summary: 'Add one device; audited',
        security,
        body: DeviceInput,
        response: { 201: Device, ...changeResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await addDevice(services, principalOf(request), request.body)),
  );

  api.patch(
    '/api/v1/devices/:id',
    {
      config: { access: 'devices:write' },
      schema: {
        tags,
        summary: "Change a device's asset tag, serial, model, pool, campus, condition or warranty end; audited",
        security,
        params: IdParams,
        body: DeviceChange,
        response: { 200: Device, ...changeResponses },
      },
    },
    async (request) => changeDevice(services, principalOf(request), request.params.id, request.body),
  );

  registerDeviceOwnerRoutes(app, services);
  registerDeviceLifecycleRoutes(app, services);
}

/** A student's own 1:1 device: assign and unassign. */
function registerDeviceOwnerRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['devices'];

  api.put(
    '/api/v1/devices/:id/owner',
    {
      config: { access: 'people:write' },
      schema: {
        tags,
        summary: "Make the device a student's own (pool assigned): the kiosk's swap and drop-off then take it; audited",
        security,
        params: IdParams,
        body: DeviceAssignment,
        response: { 200: Device, ...changeResponses },
      },
    },
    async (request) => assignDevice(services, principalOf(request), request.params.id, request.body.personId),
  );

  api.delete(
    '/api/v1/devices/:id/owner',
    {
      config: { access: 'people:write' },
      schema: {
        tags,
        summary: 'The device is nobody’s again (a spare of the assigned pool); audited',
        security,
        params: IdParams,
        response: { 200: Device, ...changeResponses },
      },
    },
    async (request) => unassignDevice(services, principalOf(request), request.params.id),
  );
}

/** The lifecycle outside the locker: wipe, retire, lost, found, and the device list's bulk actions. */
function registerDeviceLifecycleRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['devices'];
  const step = <B extends TSchema>(summary: string, body: B) => ({
    config: { access: 'devices:write' as const },
    schema: { tags, summary, security, params: IdParams, body, response: { 200: Device, ...changeResponses } },
  });

  api.post(
    '/api/v1/devices/:id/wipe',
    step('Record a wipe of the device with its method (in service or in repair); audited', DeviceWipe),
    async (request) =>
      deviceLifecycleStep(
        services,
        principalOf(request),
        request.params.id,
        { type: 'wipe', method: request.body.method },
        request.body.note,
      ),
  );

  api.post(
    '/api/v1/devices/:id/retire',
    step(
      'Retire the device with its reason and certificate reference; not from a locker, nor on loan unless lost or stolen; audited',
      DeviceRetirement,
    ),
    async (request) =>
      deviceLifecycleStep(
        services,
        principalOf(request),
        request.params.id,
        { type: 'retire', reason: request.body.reason, certificateRef: request.body.certificateRef ?? null },
        request.body.note,
      ),
  );

  api.post(
    '/api/v1/devices/:id/lost',
    step('Mark the device lost (in service or on loan); audited', DeviceNote),
    async (request) =>
      deviceLifecycleStep(services, principalOf(request), request.params.id, { type: 'lost' }, request.body.note),
  );

  api.post(
    '/api/v1/devices/:id/found',
    step('A lost device is found: it goes to repair to be checked; audited', DeviceNote),
    async (request) =>
      deviceLifecycleStep(services, principalOf(request), request.params.id, { type: 'found' }, request.body.note),
  );

  registerDeviceBulkRoute(app, services);
}

/** The device list's selection: move campus, retire or mark wiped, all or nothing. */
function registerDeviceBulkRoute(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['devices'];
  api.post(
    '/api/v1/devices/bulk',
    {
      config: { access: 'devices:write' },
      schema: {
        tags,
        summary:
          'Move many devices to a campus, retire or mark them wiped: all or nothing, a refusal lists each device that cannot; audited',
        security,
        body: DeviceBulkAction,
        response: { 200: DeviceBulkResult, ...changeResponses },
      },
    },
    async (request) => bulkDeviceAction(services, principalOf(request), request.body),
  );
}
