import { afterEach, describe, expect, it } from 'vitest';
import { aKiosk, borrowTransaction, closeKiosks } from './testing/kiosk.js';

afterEach(closeKiosks);

describe('kiosk API', () => {
  it('GET /api/station reports the station, its link and its compartments', async () => {
    const { api } = await aKiosk({ server: { stationName: 'Library' } });
    const response = await api.inject({ method: 'GET', url: '/api/station' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      stationId: 'station-1',
      stationName: 'Library',
      online: true,
      signedIn: false,
      compartments: [{ number: 1, presence: true, battery: 95 }, { number: 2 }, { number: 3 }],
    });
  });

  it.each([
    ['a badge', { badge: '1234' }],
    ['a student number and PIN', { studentNumber: '5501', pin: '2468' }],
  ])('signs in with %s, and the answer never carries the session token', async (_what, credential) => {
    const { api, server } = await aKiosk({
      server: { onAuth: (m, s) => s.answer(m.id, { data: { session: 'secret-session', person: { givenName: 'Ana' } } }) },
    });
    const response = await api.inject({ method: 'POST', url: '/api/session', payload: credential });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ signedIn: true, person: { givenName: 'Ana' } });
    expect(await server.next((m) => m.type === 'auth')).toMatchObject({ credential });
  });

  it.each([
    ['an empty body', {}],
    ['a badge and a PIN together', { badge: '1', pin: '2' }],
    ['a badge that is not a string', { badge: 1234 }],
  ])('refuses %s for sign-in with 400 problem JSON', async (_what, payload) => {
    const { api, server } = await aKiosk();
    const response = await api.inject({ method: 'POST', url: '/api/session', payload });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({
      type: 'urn:cubby:problem:bad_request',
      status: 400,
      code: 'bad_request',
      title: 'Bad request',
    });
    expect(server.received.some((m) => m.type === 'auth')).toBe(false);
  });

  it('refuses an unknown action with 400 problem JSON', async () => {
    const { api } = await aKiosk();
    const response = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'steal' } });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'bad_request' });
  });

  it.each([
    ['unknown_credential', 401],
    ['locked_out', 429],
    ['not_eligible', 403],
  ])('passes a sign-in refused with %s through with HTTP %i', async (code, status) => {
    const { api } = await aKiosk({
      server: {
        onAuth: (m, s) => s.answer(m.id, { error: { code, title: 'Refused by the server', detail: 'Ask the library' } }),
      },
    });
    const response = await api.inject({ method: 'POST', url: '/api/session', payload: { badge: '7' } });
    expect(response.statusCode).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toEqual({
      type: `urn:cubby:problem:${code}`,
      title: 'Refused by the server',
      status,
      code,
      detail: 'Ask the library',
    });
  });

  it('passes a refused action through as 409 and an offline station as 503', async () => {
    const { api, server, link } = await aKiosk({
      server: {
        onRequest: (m, s) => s.answer(m.id, { error: { code: 'no_loaner_available', title: 'No charged loaner here' } }),
      },
    });
    await api.inject({ method: 'POST', url: '/api/session', payload: { badge: '1234' } });
    const refused = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'borrow', reason: 'broken' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'no_loaner_available', title: 'No charged loaner here' });
    const offline = new Promise((resolve) => link.once('offline', () => resolve(undefined)));
    await server.close();
    await offline;
    const response = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'borrow', reason: 'broken' } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ code: 'offline', status: 503 });
  });

  it("keeps the server's extension members on a refusal (nearby stations), never over the standard ones", async () => {
    const nearby = [{ stationId: 's-2', stationName: 'Cafeteria', available: 3 }];
    const { api } = await aKiosk({
      server: {
        onRequest: (m, s) =>
          s.answer(m.id, {
            error: { code: 'no_loaner_available', title: 'None here', data: { nearby, code: 'ignored', status: 200 } },
          } as never),
      },
    });
    await api.inject({ method: 'POST', url: '/api/session', payload: { badge: '1234' } });
    const refused = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'borrow', reason: 'broken' } });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'no_loaner_available', status: 409, nearby });
  });

  it('tells the kiosk screen its settings with the station status', async () => {
    const { api } = await aKiosk({}, { kiosk: { language: 'es', idleSignOutSeconds: 30 } });
    const response = await api.inject({ method: 'GET', url: '/api/station' });
    expect(response.json()).toMatchObject({ kiosk: { language: 'es', idleSignOutSeconds: 30 } });
  });

  it('acting after signing out is refused with 401 session_expired', async () => {
    const { api } = await aKiosk();
    await api.inject({ method: 'POST', url: '/api/session', payload: { badge: '1234' } });
    expect((await api.inject({ method: 'DELETE', url: '/api/session' })).statusCode).toBe(204);
    const response = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'charge' } });
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'session_expired' });
  });

  it('starts an action and serves the transaction it started', async () => {
    const { api } = await aKiosk({
      server: { onRequest: (m, s) => s.answer(m.id, { data: { transaction: borrowTransaction } }) },
    });
    await api.inject({ method: 'POST', url: '/api/session', payload: { badge: '1234' } });
    const started = await api.inject({ method: 'POST', url: '/api/actions', payload: { kind: 'borrow', reason: 'forgotten' } });
    expect(started.statusCode).toBe(200);
    expect(started.json()).toEqual({ transaction: borrowTransaction });
    const known = await api.inject({ method: 'GET', url: '/api/transactions/tx-9' });
    expect(known.json()).toEqual(borrowTransaction);
    const unknown = await api.inject({ method: 'GET', url: '/api/transactions/tx-0' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'not_found' });
  });

  it('answers an unknown route with 404 problem JSON', async () => {
    const { api } = await aKiosk();
    const response = await api.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('refuses requests addressed to a foreign host name', async () => {
    const { api } = await aKiosk();
    const response = await api.inject({ method: 'GET', url: '/api/station', headers: { host: 'evil.example:8787' } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'forbidden' });
  });
});
