import { IdParams, ImportHistory, ImportRunItem, ImportUploadQuery } from '@cubby/protocol/api';
import type { FastifyInstance } from 'fastify';
import { principalOf } from '../auth/guard.js';
import { changeResponses, errorResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import { importHistory } from '../services/import-history/history.js';
import { applyUpload, previewUpload } from '../services/imports/upload.js';
import { Problem } from '@cubby/protocol/api';
import { security, typed } from './typed.js';

/** Upload types an import accepts; the body is streamed to disk as it arrives, never buffered whole. */
const uploadTypes = ['application/zip', 'application/x-zip-compressed', 'application/octet-stream', 'text/csv'];

/** Roster and inventory imports (docs/importing.md): dry run on upload, apply by id, history. */
export function registerImportRoutes(app: FastifyInstance, services: Services): void {
  const { cubby, keys } = services;
  const tags = ['imports'];
  void app.register(async (scope) => {
    scope.addContentTypeParser(uploadTypes, (_request, payload, done) => done(null, payload));
    const api = typed(scope);
    api.post(
      '/api/v1/imports',
      {
        config: { access: 'roster:import' },
        bodyLimit: Number.MAX_SAFE_INTEGER,
        schema: {
          tags,
          summary: 'Upload a OneRoster zip or a people/device CSV (the raw file as the body) for a dry run; audited',
          security,
          querystring: ImportUploadQuery,
          response: { 200: ImportRunItem, ...errorResponses, 413: Problem, 415: Problem },
        },
      },
      async (request) => {
        const length = request.headers['content-length'];
        return previewUpload(cubby, keys, principalOf(request), {
          body: request.body,
          declaredLength: length === undefined ? undefined : Number(length),
          kind: request.query.kind,
          fileName: request.query.fileName,
        });
      },
    );
  });
  const api = typed(app);
  api.post(
    '/api/v1/imports/:id/apply',
    {
      config: { access: 'roster:import' },
      schema: {
        tags,
        summary: 'Apply a previewed import: planned again and written in one transaction, all or nothing; audited',
        security,
        params: IdParams,
        response: { 200: ImportRunItem, ...changeResponses },
      },
    },
    async (request) => applyUpload(cubby, keys, principalOf(request), request.params.id),
  );
  api.get(
    '/api/v1/imports',
    {
      config: { access: 'roster:import' },
      schema: {
        tags,
        summary: 'The import history, newest first',
        security,
        response: { 200: ImportHistory, ...errorResponses },
      },
    },
    async () => importHistory(cubby.db),
  );
}
