import { IdParams, Task, TaskCreate, TaskList, TaskListQuery } from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses, errorResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import { cancelTask, createTask, taskList } from '../services/tasks/tasks.js';
import { security, typed } from './typed.js';

/**
 * Single-use tasks (docs/tasks.md): a pick-up or drop-off for one person at
 * one station. Creating and cancelling one decides which door a badge opens,
 * so it takes station:operate; the list is fleet:read (names with people:read).
 */
export function registerTaskRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['tasks'];

  api.get(
    '/api/v1/tasks',
    {
      config: { access: 'fleet:read' },
      schema: {
        tags,
        summary: 'Single-use tasks of your campuses, newest first, by state (open, done, cancelled), station or campus',
        security,
        querystring: TaskListQuery,
        response: { 200: TaskList, ...errorResponses },
      },
    },
    async (request) => taskList(services, principalOf(request), request.query),
  );

  api.post(
    '/api/v1/tasks',
    {
      config: { access: 'station:operate' },
      schema: {
        tags,
        summary:
          'Create a pick-up (a device for a person, loaded by a technician) or drop-off (a person leaves their device) at a station; audited',
        security,
        body: TaskCreate,
        response: { 201: Task, ...changeResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await createTask(services, principalOf(request), request.body)),
  );

  api.post(
    '/api/v1/tasks/:id/cancel',
    {
      config: { access: 'station:operate' },
      schema: {
        tags,
        summary:
          'Cancel a task not yet done; a loaded pick-up’s device waits behind its door for a technician’s collection; audited',
        security,
        params: IdParams,
        response: { 200: Task, ...changeResponses },
      },
    },
    async (request) => cancelTask(services, principalOf(request), request.params.id),
  );
}
