import cookie from '@fastify/cookie';
import websocket from '@fastify/websocket';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { CubbyDb } from '@cubby/db';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { EventBus } from './bus.js';
import type { ServerConfig } from './config.js';
import { startAuditSealer } from './jobs/audit-sealer.js';
import { startSessionSweeper } from './jobs/session-sweeper.js';
import { startRetentionJob } from './jobs/retention.js';
import { registerStationGateway } from './gateway/station-gateway.js';
import { answerFrameworkError, registerProblemHandlers } from './problems.js';
import { registerSecurityHeaders } from './security-headers.js';
import { requestIdOf } from './request-ids.js';
import { buildRequestValidator } from './request-validation.js';
import { registerAccessGuard, type Access } from './auth/guard.js';
import { registerDashboardApp } from './routes/dashboard-app.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerReadRoutes } from './routes/read-api.js';
import { registerFleetRoutes } from './routes/fleet.js';
import { registerSettingsRoutes } from './routes/settings.js';
import { registerLiveRoutes } from './routes/live.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerStaffAdminRoutes } from './routes/staff-admin.js';
import { registerImportRoutes } from './routes/imports.js';
import { registerPrivacyRoutes } from './routes/privacy.js';
import { registerPeopleRoutes } from './routes/people.js';
import { registerDeviceRoutes } from './routes/devices.js';
import { registerRepairRoutes } from './routes/repairs.js';
import { registerCapacityRoutes } from './routes/capacity.js';
import { registerTaskRoutes } from './routes/tasks.js';
import { registerGoogleRoutes } from './routes/google.js';
import { startGoogleSyncJob } from './jobs/google-sync.js';
import { startJobRunner, type JobRunner } from './jobs/runner.js';
import { registerEmailRoutes } from './routes/email.js';
import { emailJobHandler } from './services/notifications/email-job.js';
import { emailJobKind } from './services/notifications/receipts.js';
import { Keys } from './secrets.js';
import { requestForLog } from './log-privacy.js';
import type { Services } from './services/deps.js';
import { PasswordHasher } from './services/password-hashing.js';
import { registerSignInThrottle } from './auth/address-throttle.js';

export interface CubbyServer {
  app: FastifyInstance;
  services: Services;
  /** The durable job runner; null when CUBBY_JOBS=off. */
  jobs: JobRunner | null;
  /** Every route and the access rule it declares (the role matrix test walks this). */
  routes: RouteEntry[];
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access | undefined;
}

/** Secrets and credentials never reach the logs. */
const redact = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.pin',
  '*.password',
  '*.badge',
  '*.token',
  '*.session',
  '*.credential',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact, serializers: { req: requestForLog } }, destination);
}

export async function buildServer(options: { config: ServerConfig; cubby: CubbyDb; log?: Logger }): Promise<CubbyServer> {
  const { config, cubby } = options;
  const log = options.log ?? createLogger(config.logLevel);
  const bus = new EventBus((error) => log.error({ err: error }, 'event listener failed'));
  const services: Services = {
    cubby,
    bus,
    keys: new Keys(config.secret),
    config,
    log,
    hashes: new PasswordHasher(config.hashConcurrency, config.hashQueue),
  };
  const app: FastifyInstance = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    // Query strings, paths and headers are coerced to their schema's types; JSON bodies are not (null stays null).
    schemaController: { compilersFactory: { buildValidator: buildRequestValidator } },
    // The id is read from x-request-id only when it is a safe one (request-ids.ts).
    requestIdHeader: false,
    genReqId: requestIdOf,
    frameworkErrors: answerFrameworkError,
    // request.ip: the connection's address, or X-Forwarded-For as set by a named proxy (docs/sign-in.md).
    trustProxy: config.trustProxy,
  });
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD')
        routes.push({ method, url: route.url, access: (route.config as { access?: Access } | undefined)?.access });
    }
  });
  registerProblemHandlers(app);
  await registerSecurityHeaders(app, config);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Cubby API', version: '1', description: 'Smart-locker loaner platform for K-12 Chromebook programs' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  // No validator badge: it would load an image from validator.swagger.io, which the CSP refuses.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });
  await app.register(websocket, { options: { maxPayload: 256 * 1024 } });
  await app.register(cookie, { secret: services.keys.cookieKey() });
  registerAccessGuard(app, cubby.db);
  registerSignInThrottle(app, services);
  registerHealthRoutes(app, cubby.db);
  registerReadRoutes(app, cubby.db);
  registerAuthRoutes(app, services);
  registerStaffAdminRoutes(app, services);
  registerFleetRoutes(app, services);
  registerSettingsRoutes(app, services);
  registerLiveRoutes(app, services);
  registerPrivacyRoutes(app, services);
  registerPeopleRoutes(app, services);
  registerDeviceRoutes(app, services);
  registerRepairRoutes(app, services);
  registerCapacityRoutes(app, services);
  registerTaskRoutes(app, services);
  registerGoogleRoutes(app, services);
  registerImportRoutes(app, services);
  registerEmailRoutes(app, services);
  await registerDashboardApp(app);
  await registerStationGateway(app, services);
  const sealer = startAuditSealer(cubby, log);
  const sweeper = startSessionSweeper(cubby, log);
  const retention = startRetentionJob(cubby, log);
  const googleSync = startGoogleSyncJob(services);
  const jobs = config.jobs.enabled
    ? startJobRunner(cubby, log, { [emailJobKind]: emailJobHandler(services) }, config.jobs)
    : null;
  app.addHook('onClose', async () => {
    // In-flight jobs finish first; a job cut short by a kill is taken over once its lease expires.
    await jobs?.stop();
    sweeper.stop();
    await retention.stop();
    await googleSync.stop();
    await sealer.stop();
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  return { app, services, routes, jobs };
}
