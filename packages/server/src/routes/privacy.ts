import { ErasureRequest, Erasure, IdParams, PrivacyExport, PrivacyExportQuery, RetentionPolicy } from '@cubby/protocol/api';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses, errorResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import { erasePerson } from '../services/privacy/erase.js';
import { exportPerson, privacyExportCsv } from '../services/privacy/export.js';
import { changeRetentionPolicy, retentionPolicy } from '../services/privacy/retention.js';
import { wantsCsv } from './csv.js';
import { security, typed } from './typed.js';

/** A person's privacy export and erasure, and the district's retention setting (docs/privacy.md). */
export function registerPrivacyRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['privacy'];
  const { cubby } = services;

  api.get(
    '/api/v1/people/:id/privacy-export',
    {
      config: { access: 'privacy:export' },
      schema: {
        tags,
        summary: 'Everything Cubby holds about one person (format=csv: one row per field); audited',
        security,
        params: IdParams,
        querystring: PrivacyExportQuery,
        response: { 200: PrivacyExport, ...errorResponses },
      },
    },
    async (request, reply) => {
      const csv = wantsCsv(request, request.query.format);
      const data = await exportPerson(cubby, principalOf(request), request.params.id, csv ? 'csv' : 'json');
      const file = `person-${data.person.id}-${new Date(data.exportedAt).toISOString().slice(0, 10)}`;
      // A download, never cached on the way: it is one student's whole record.
      reply
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="${file}.${csv ? 'csv' : 'json'}"`);
      // The CSV form is text, outside the JSON schema the 200 declares.
      if (csv) return (reply as FastifyReply).type('text/csv; charset=utf-8').send(await privacyExportCsv(cubby.db, data));
      return data;
    },
  );

  api.post(
    '/api/v1/people/:id/erase',
    {
      config: { access: 'privacy:erase' },
      schema: {
        tags,
        summary:
          "Erase a person's identity (names, numbers, badge and PIN), keeping their history under a pseudonym; " +
          'refused while they have a loaner out or a device in a locker; audited',
        security,
        params: IdParams,
        body: ErasureRequest,
        response: { 200: Erasure, ...changeResponses },
      },
    },
    async (request) => erasePerson(cubby, principalOf(request), request.params.id, request.body.confirm),
  );
  registerRetentionRoutes(app, services);
}

/** The district's retention setting: who may erase may set it. */
function registerRetentionRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const tags = ['privacy'];
  const { cubby } = services;
  api.get(
    '/api/v1/retention',
    {
      config: { access: 'privacy:erase' },
      schema: {
        tags,
        summary: "The district's retention setting",
        security,
        response: { 200: RetentionPolicy, ...errorResponses },
      },
    },
    async () => retentionPolicy(cubby),
  );

  api.put(
    '/api/v1/retention',
    {
      config: { access: 'privacy:erase' },
      schema: {
        tags,
        summary: 'Erase people off the roster after N years without using Cubby (null: never); audited',
        security,
        body: RetentionPolicy,
        response: { 200: RetentionPolicy, ...changeResponses },
      },
    },
    async (request) => changeRetentionPolicy(cubby, principalOf(request), request.body),
  );
}
