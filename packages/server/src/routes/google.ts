import { Type } from '@sinclair/typebox';
import { GoogleConnection, GoogleConnectionChange, GoogleConnectionTest, GoogleSyncRun, Problem } from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import {
  changeGoogleConnection,
  disconnectGoogle,
  googleConnection,
  testGoogleConnection,
} from '../services/google/connection.js';
import { runGoogleSync } from '../services/google/sync.js';
import { security, typed } from './typed.js';

/** Google Admin (docs/google.md): the connection, its test, and a sync on demand. District admins only. */
export function registerGoogleRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['google'];
  const access = 'integrations:write' as const;

  api.get(
    '/api/v1/google',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The Google connection (never its key) and the latest sync runs',
        security,
        response: { 200: GoogleConnection, ...changeResponses },
      },
    },
    async () => googleConnection(services),
  );

  api.put(
    '/api/v1/google',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Connect Google, or change the connection (leave out the key to keep the stored one); audited',
        security,
        body: GoogleConnectionChange,
        response: { 200: GoogleConnection, ...changeResponses },
      },
    },
    async (request) => changeGoogleConnection(services, principalOf(request), request.body),
  );

  api.delete(
    '/api/v1/google',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Disconnect Google (forgets the key); audited',
        security,
        response: { 204: Type.Null(), ...changeResponses },
      },
    },
    async (request, reply) => {
      await disconnectGoogle(services, principalOf(request));
      return reply.status(204).send(null);
    },
  );

  registerGoogleSyncRoutes(app, services);
}

/** Talking to Google: the connection's test and a sync on demand. */
function registerGoogleSyncRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['google'];
  const access = 'integrations:write' as const;
  const failed = { ...changeResponses, 502: Problem };

  api.post(
    '/api/v1/google/test',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Ask Google for one device with the stored key',
        security,
        response: { 200: GoogleConnectionTest, ...failed },
      },
    },
    async () => testGoogleConnection(services),
  );

  api.post(
    '/api/v1/google/sync',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Sync Chrome OS devices (and battery telemetry) from Google now; recorded and audited',
        security,
        response: { 200: GoogleSyncRun, ...failed },
      },
    },
    async (request) => runGoogleSync(services, { trigger: 'dashboard', principal: principalOf(request) }),
  );
}
