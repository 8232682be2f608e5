import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/harness.js';

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: { default?: unknown };
}
type Operations = Record<string, Record<string, { parameters?: Parameter[] }>>;

describe.each(testDialects)('the OpenAPI document on %s', (dialect) => {
  let server: TestServer;
  let paths: Operations;
  beforeAll(async () => {
    server = await startTestServer(dialect);
    const res = await server.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(res.statusCode).toBe(200);
    paths = (res.json() as { paths: Operations }).paths;
  });
  afterAll(async () => server?.close());

  const parameters = () =>
    Object.entries(paths).flatMap(([path, operations]) =>
      Object.entries(operations).flatMap(([method, operation]) =>
        (operation.parameters ?? []).map((p) => ({ where: `${method.toUpperCase()} ${path} ${p.in} ${p.name}`, ...p })),
      ),
    );

  it('marks no parameter that has a default as required', () => {
    const withDefault = parameters().filter((p) => p.schema?.default !== undefined);
    expect(withDefault.map((p) => p.where)).toContain('GET /api/v1/devices query limit');
    expect(withDefault.filter((p) => p.required).map((p) => p.where)).toEqual([]);
  });
});
