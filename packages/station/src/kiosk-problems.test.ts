import { afterEach, describe, expect, it } from 'vitest';
import { aKiosk, closeKiosks } from './testing/kiosk.js';

afterEach(closeKiosks);

type Request = { method: 'GET' | 'POST' | 'PUT'; url: string; headers?: Record<string, string>; payload?: string };

/** What Fastify answers on its own, before or around any kiosk route. */
const frameworkErrors: [string, Request, number, string][] = [
  ['a URL whose percent-encoding does not decode', { method: 'GET', url: '/api/transactions/%E0%A4%A' }, 400, 'bad_request'],
  [
    'a path value longer than any route takes',
    { method: 'GET', url: `/api/transactions/${'t'.repeat(5000)}` },
    414,
    'uri_too_long',
  ],
  [
    'a body that is not JSON',
    { method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '{"badge":' },
    400,
    'bad_request',
  ],
  [
    'a body over the limit',
    {
      method: 'POST',
      url: '/api/session',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ badge: '1'.repeat(1_100_000) }),
    },
    413,
    'payload_too_large',
  ],
  [
    'a body of a type no parser takes',
    { method: 'POST', url: '/api/session', headers: { 'content-type': 'application/xml' }, payload: '<badge/>' },
    415,
    'unsupported_media_type',
  ],
  ['a path no route serves', { method: 'GET', url: '/api/nothing-here' }, 404, 'not_found'],
  ['a method the path does not take', { method: 'PUT', url: '/api/session' }, 404, 'not_found'],
];

describe('kiosk API framework errors', () => {
  it.each(frameworkErrors)('%s answers RFC 9457 problem JSON', async (_what, request, status, code) => {
    const { api, server } = await aKiosk();
    const res = await api.inject(request);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ type: `urn:cubby:problem:${code}`, status, code, title: expect.any(String) });
    expect(body).not.toHaveProperty('statusCode');
    expect(res.body.length).toBeLessThan(1000);
    expect(server.received.some((m) => m.type === 'auth')).toBe(false);
  });
});
