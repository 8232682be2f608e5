import { snapshotTables, testDialects } from '@cubby/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aStationScenario, type StationScenario } from '../testing/scenario.js';
import { aUser, signIn, type Browser } from '../testing/users.js';

/**
 * A number in a query string or a path is text until the schema coerces it.
 * Ajv turns "Infinity" and "1e309" into Infinity and then skips minimum and
 * maximum for a non-finite number (ajv#2212): the lists answered 500 on
 * SQLite ("datatype mismatch"). Every route that takes a number is walked,
 * from the OpenAPI document, so a new one is covered the day it is added.
 */
const nonNumbers = ['Infinity', '-Infinity', '1e309', '-1e309', '1e300', '99999999999999999999', 'NaN', '1.5', ''];

interface Parameter {
  in: string;
  name: string;
  schema?: { type?: string; enum?: string[] };
}
type Operations = Record<string, Record<string, { parameters?: Parameter[] }>>;

describe.each(testDialects)('numbers that are no numbers, on %s', (dialect) => {
  let s: StationScenario;
  let admin: Browser;
  let openapi: Operations;

  beforeAll(async () => {
    s = await aStationScenario(dialect);
    await s.borrowed();
    admin = await signIn(s.server.app, await aUser(s.server.cubby, { role: 'district_admin' }));
    openapi = (s.server.app.swagger() as unknown as { paths: Operations }).paths;
  });
  afterAll(async () => s?.close());

  /** Every (method, path, parameter) of the API that the schema says is a number. */
  function numericParameters() {
    const out: { method: string; path: string; parameter: Parameter }[] = [];
    for (const [path, operations] of Object.entries(openapi)) {
      for (const [method, operation] of Object.entries(operations)) {
        for (const parameter of operation.parameters ?? []) {
          const type = parameter.schema?.type;
          if ((type === 'integer' || type === 'number') && (parameter.in === 'query' || parameter.in === 'path'))
            out.push({ method: method.toUpperCase(), path, parameter });
        }
      }
    }
    return out;
  }

  function urlOf(path: string, parameter: Parameter, value: string): string {
    const filled = path.replace(/\{(\w+)\}/g, (_, name: string) =>
      name === parameter.name && parameter.in === 'path' ? encodeURIComponent(value) : name === 'id' ? s.station.stationId : '1',
    );
    return parameter.in === 'query' ? `${filled}?${parameter.name}=${encodeURIComponent(value)}` : filled;
  }

  const send = (method: string, url: string) =>
    s.server.app.inject({
      method: method as 'GET',
      url,
      headers: admin.headers,
      ...(method === 'GET' ? {} : { payload: { reason: 'test', outOfService: true } }),
    });

  it('every list route and every numeric parameter refuses non-finite and out-of-range numbers with 400, changing nothing', async () => {
    const walked = numericParameters();
    // The walk must cover the read API's lists (their limit) and the audit log's time range.
    const lists = ['sites', 'stations', 'compartments', 'devices', 'people', 'loans', 'repair-tickets', 'audit-events'];
    for (const list of lists) expect(walked.some((w) => w.path === `/api/v1/${list}` && w.parameter.name === 'limit')).toBe(true);
    expect(walked.some((w) => w.path === '/api/v1/audit-events' && w.parameter.name === 'from')).toBe(true);
    expect(walked.some((w) => w.path === '/api/v1/stations/{id}/compartments/{number}/open')).toBe(true);

    const before = await snapshotTables(s.server.cubby);
    const failures: string[] = [];
    for (const { method, path, parameter } of walked) {
      for (const value of nonNumbers) {
        const res = await send(method, urlOf(path, parameter, value));
        const body = res.json<{ code?: string }>();
        if (res.statusCode !== 400 || body.code !== 'bad_request' || !/problem\+json/.test(String(res.headers['content-type'])))
          failures.push(`${method} ${path} ${parameter.name}=${value}: ${res.statusCode} ${res.body.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshotTables(s.server.cubby)).toEqual(before);
  });

  it('a forged cursor carrying a non-finite or mistyped sort value is refused with 400 on every list and sort', async () => {
    // Non-finite or beyond a bigint: refused on any sort. Text or a number where the column holds the other: refused or ignored, never a 500.
    const nonFinite = ['[1e309,"x"]', '[-1e309,"x"]', '[1e300,"x"]'];
    const mistyped = ['["not a number","x"]', '[12,"x"]', '[{"a":1},"x"]'];
    const failures: string[] = [];
    for (const [path, operations] of Object.entries(openapi)) {
      const parameters = operations.get?.parameters ?? [];
      const sorts = parameters.find((p) => p.name === 'sort')?.schema?.enum;
      if (!sorts || path === '/api/v1/audit-events') continue; // the audit log's cursor is digits, by pattern
      for (const sort of sorts) {
        for (const json of [...nonFinite, ...mistyped]) {
          const res = await send('GET', `${path}?sort=${sort}&cursor=${Buffer.from(json).toString('base64url')}`);
          const allowed = nonFinite.includes(json) ? [400] : [400, 200];
          if (!allowed.includes(res.statusCode))
            failures.push(`${path} sort=${sort} ${json}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });
});
