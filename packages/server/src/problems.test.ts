import { testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './testing/harness.js';

type Inject = { method: 'GET' | 'POST' | 'PUT'; url: string; headers?: Record<string, string>; payload?: string };

/** What Fastify answers on its own, before or around any route of ours. */
const frameworkErrors: [string, Inject, number, string][] = [
  ['a URL whose percent-encoding does not decode', { method: 'GET', url: '/api/v1/devices/%E0%A4%A' }, 400, 'bad_request'],
  [
    'a path value longer than any route takes',
    { method: 'GET', url: `/api/v1/stations/${'a'.repeat(5000)}` },
    414,
    'uri_too_long',
  ],
  [
    'a body that is not JSON',
    { method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"email":' },
    400,
    'bad_request',
  ],
  [
    'a body over the limit',
    {
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'x'.repeat(1_100_000) }),
    },
    413,
    'payload_too_large',
  ],
  [
    'a body of a type no parser takes',
    { method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'application/xml' }, payload: '<login/>' },
    415,
    'unsupported_media_type',
  ],
  ['a path no route serves', { method: 'GET', url: '/api/v1/nothing-here' }, 404, 'not_found'],
  ['a method the path does not take', { method: 'PUT', url: '/api/v1/auth/login' }, 404, 'not_found'],
];

describe.each(testDialects)('framework errors on %s', (dialect) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(dialect);
  });
  afterAll(async () => server?.close());

  it.each(frameworkErrors)('%s answers RFC 9457 problem JSON', async (_what, request, status, code) => {
    const res = await server.app.inject(request);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ type: `urn:cubby:problem:${code}`, status, code, title: expect.any(String) });
    expect(body).not.toHaveProperty('statusCode');
    expect(body).not.toHaveProperty('error');
    // Nothing is echoed at length: the problem stays small whatever the client sent.
    expect(res.body.length).toBeLessThan(1000);
  });
});
