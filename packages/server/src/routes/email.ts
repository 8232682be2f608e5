import {
  EmailDelivery,
  EmailDeliveryPage,
  EmailDeliveryQuery,
  EmailSettings,
  EmailSettingsChange,
  EmailTestRequest,
  EmailTestResult,
  IdParams,
} from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import { listEmailDeliveries, resendEmailDelivery } from '../services/notifications/deliveries.js';
import { changeEmailSettings, emailSettings, testEmailSettings } from '../services/notifications/email-settings.js';
import { security, typed } from './typed.js';

/** Email (docs/notifications.md): the SMTP settings (password write-only), a test send, and the delivery log. District admins only. */
export function registerEmailRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['email'];
  const access = 'integrations:write' as const;

  api.get(
    '/api/v1/email/settings',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The SMTP settings (never the password)',
        security,
        response: { 200: EmailSettings, ...changeResponses },
      },
    },
    async () => emailSettings(services),
  );

  api.put(
    '/api/v1/email/settings',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Set up or change the SMTP settings (leave out the password to keep it); audited without the password',
        security,
        body: EmailSettingsChange,
        response: { 200: EmailSettings, ...changeResponses },
      },
    },
    async (request) => changeEmailSettings(services, principalOf(request), request.body),
  );

  api.post(
    '/api/v1/email/test',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Send a test message now through the stored SMTP settings; audited',
        security,
        body: EmailTestRequest,
        response: { 200: EmailTestResult, ...changeResponses },
      },
    },
    async (request) => testEmailSettings(services, principalOf(request), request.body.to),
  );

  registerDeliveryRoutes(app, services);
}

/** The delivery log and its resend. */
function registerDeliveryRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['email'];
  const access = 'integrations:write' as const;

  api.get(
    '/api/v1/email/deliveries',
    {
      config: { access },
      schema: {
        tags,
        summary: 'The delivery log: every email, newest first (sent, failed, retried, dead, pending)',
        security,
        querystring: EmailDeliveryQuery,
        response: { 200: EmailDeliveryPage, ...changeResponses },
      },
    },
    async (request) => listEmailDeliveries(services, request.query),
  );

  api.post(
    '/api/v1/email/deliveries/:id/resend',
    {
      config: { access },
      schema: {
        tags,
        summary: 'Send a delivery again as a new message; audited',
        security,
        params: IdParams,
        response: { 200: EmailDelivery, ...changeResponses },
      },
    },
    async (request) => resendEmailDelivery(services, principalOf(request), request.params.id),
  );
}
