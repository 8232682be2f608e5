import { createPublicKey, createVerify, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { googleTokenUrl } from '../integrations/google-admin/service-account.js';

/**
 * A local Google for tests, from Google's documented formats: the OAuth 2.0
 * token endpoint of the JWT bearer grant (RFC 7523; it checks the assertion's
 * signature and its iss, scope, sub and aud claims), the Admin SDK Directory's
 * Chrome OS device list and the Chrome Management Telemetry device list, both
 * paged with pageToken/nextPageToken, and Google's error bodies. Faults are
 * scripted per API and page: a status (401, 403, 429, 500) for a number of
 * answers, or a malformed page.
 */
export type FakeApi = 'token' | 'directory' | 'telemetry';
export interface Fault {
  api: FakeApi;
  /** 1-based page the fault hits (any page when left out). */
  page?: number;
  status?: number;
  /** Answer a body that is not a device list. */
  malformed?: boolean;
  /** How many answers it spoils (default 1). */
  times?: number;
}

export interface FakeRequest {
  api: FakeApi;
  path: string;
  query: Record<string, string>;
  claims?: Record<string, unknown>;
}

const directoryScope = 'https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly';
const telemetryScope = 'https://www.googleapis.com/auth/chrome.management.telemetry.readonly';

export class FakeGoogle {
  readonly clientEmail = 'cubby-sync@district-project.iam.gserviceaccount.com';
  readonly adminEmail = 'it-admin@district.example';
  customerId = 'my_customer';
  chromeOsDevices: Record<string, unknown>[] = [];
  telemetryDevices: Record<string, unknown>[] = [];
  readonly requests: FakeRequest[] = [];
  readonly #faults: Fault[] = [];
  readonly #tokens = new Map<string, string[]>();
  readonly #privateKeyPem: string;
  #publicKey: KeyObject;
  #server: Server | undefined;
  url = '';

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.#privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    this.#publicKey = publicKey;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** The key file as the Cloud console downloads it, its token_uri pointing here. */
  serviceAccountKey(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({
      type: 'service_account',
      project_id: 'district-project',
      private_key_id: 'k1',
      private_key: this.#privateKeyPem,
      client_email: this.clientEmail,
      client_id: '100000000000000000001',
      token_uri: `${this.url}/token`,
      ...overrides,
    });
  }

  /** Another key pair: a key Google does not know (its signature fails). */
  forgetKey(): void {
    this.#publicKey = createPublicKey(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
  }

  fail(fault: Fault): void {
    this.#faults.push({ times: 1, ...fault });
  }

  requestsTo(api: FakeApi): FakeRequest[] {
    return this.requests.filter((r) => r.api === api);
  }

  #takeFault(api: FakeApi, page: number): Fault | undefined {
    const i = this.#faults.findIndex((f) => f.api === api && (f.page === undefined || f.page === page) && (f.times ?? 1) > 0);
    if (i < 0) return undefined;
    const fault = this.#faults[i]!;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.#faults.splice(i, 1);
    return fault;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (req.method === 'POST' && url.pathname === '/token') return this.#token(req, send);
    const directory = url.pathname.match(/^\/admin\/directory\/v1\/customer\/([^/]+)\/devices\/chromeos$/);
    const telemetry = url.pathname.match(/^\/v1\/customers\/([^/]+)\/telemetry\/devices$/);
    const api: FakeApi | null = directory ? 'directory' : telemetry ? 'telemetry' : null;
    if (!api || req.method !== 'GET') return send(404, googleError(404, 'Not Found', 'notFound'));
    this.requests.push({ api, path: url.pathname, query });
    const scopes = this.#tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!scopes) return send(401, googleError(401, 'Request had invalid authentication credentials.', 'authError'));
    if (!scopes.includes(api === 'directory' ? directoryScope : telemetryScope)) {
      return send(403, googleError(403, 'Request had insufficient authentication scopes.', 'insufficientPermissions'));
    }
    const customer = decodeURIComponent((directory ?? telemetry)![1]!);
    if (customer !== this.customerId) return send(400, googleError(400, 'Bad Request', 'badRequest'));
    if (api === 'telemetry' && !query.readMask) return send(400, googleError(400, 'readMask is required', 'badRequest'));
    const size = Number(query[api === 'directory' ? 'maxResults' : 'pageSize'] ?? 100);
    const offset = query.pageToken ? Number(Buffer.from(query.pageToken, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset)) return send(400, googleError(400, 'Invalid page token', 'badRequest'));
    const page = Math.floor(offset / size) + 1;
    const fault = this.#takeFault(api, page);
    if (fault?.malformed)
      return send(
        200,
        api === 'directory' ? '{"kind":"admin#directory#chromeosdevices","chromeosdevices":"' : { devices: 'not a list' },
      );
    if (fault?.status)
      return send(fault.status, googleError(fault.status, statusMessages[fault.status] ?? 'Error', 'backendError'));
    const all = api === 'directory' ? this.chromeOsDevices : this.telemetryDevices;
    const items = all.slice(offset, offset + size);
    const next = offset + size < all.length ? Buffer.from(String(offset + size)).toString('base64url') : undefined;
    if (api === 'directory') {
      const list = items.map((d) => (query.projection === 'FULL' ? d : basic(d)));
      return send(200, {
        kind: 'admin#directory#chromeosdevices',
        etag: '"e"',
        ...(list.length ? { chromeosdevices: list } : {}),
        ...(next ? { nextPageToken: next } : {}),
      });
    }
    return send(200, { ...(items.length ? { devices: items } : {}), ...(next ? { nextPageToken: next } : {}) });
  }

  async #token(req: IncomingMessage, send: (status: number, body: unknown) => void): Promise<void> {
    const body = new URLSearchParams(await text(req));
    this.requests.push({ api: 'token', path: '/token', query: Object.fromEntries(body) });
    const fault = this.#takeFault('token', 1);
    if (fault?.status) return send(fault.status, { error: 'internal_failure', error_description: 'Backend error' });
    if (body.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer') {
      return send(400, { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' });
    }
    const claims = this.#verify(body.get('assertion') ?? '');
    if (!claims) return send(400, { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
    this.requests.at(-1)!.claims = claims;
    const now = Math.floor(Date.now() / 1000);
    if (claims.aud !== googleTokenUrl || claims.iss !== this.clientEmail || typeof claims.exp !== 'number' || claims.exp < now) {
      return send(400, {
        error: 'invalid_grant',
        error_description: 'Invalid JWT: Token must be a short-lived token and in a reasonable timeframe.',
      });
    }
    const scopes = String(claims.scope ?? '').split(' ');
    // Domain-wide delegation: the service account may act only as the admin the district delegated, with the granted scopes.
    if (claims.sub !== this.adminEmail || !scopes.every((s) => s === directoryScope || s === telemetryScope)) {
      return send(401, {
        error: 'unauthorized_client',
        error_description:
          'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.',
      });
    }
    const token = `ya29.${randomBytes(16).toString('base64url')}`;
    this.#tokens.set(token, scopes);
    return send(200, { access_token: token, expires_in: 3599, token_type: 'Bearer' });
  }

  #verify(assertion: string): Record<string, unknown> | null {
    const [header, payload, signature] = assertion.split('.');
    if (!header || !payload || !signature) return null;
    const ok = createVerify('RSA-SHA256')
      .update(`${header}.${payload}`)
      .verify(this.#publicKey, Buffer.from(signature, 'base64url'));
    if (!ok) return null;
    try {
      return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    } catch {
      return null;
    }
  }
}

const statusMessages: Record<number, string> = {
  401: 'Request had invalid authentication credentials.',
  403: 'Not Authorized to access this resource/api',
  429: 'Quota exceeded for quota metric',
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
};

function googleError(code: number, message: string, reason: string) {
  return { error: { code, message, errors: [{ message, domain: 'global', reason }] } };
}

/** projection=BASIC leaves out what only FULL carries. */
function basic(d: Record<string, unknown>) {
  const { recentUsers: _r, activeTimeRanges: _a, ...rest } = d;
  return rest;
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A Chrome OS device as the Directory lists it (projection FULL). */
export function aChromeOsDevice(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kind: 'admin#directory#chromeosdevice',
    deviceId: `dev-${randomBytes(6).toString('hex')}`,
    serialNumber: `5CD${randomBytes(4).toString('hex').toUpperCase()}`,
    status: 'ACTIVE',
    model: 'HP Chromebook 11 G9 EE',
    orgUnitPath: '/Students/Loaners',
    lastSync: '2026-11-30T14:05:00.000Z',
    annotatedUser: null,
    recentUsers: [{ type: 'USER_TYPE_MANAGED', email: 'student@district.example' }],
    autoUpdateExpiration: '1938729600000',
    ...overrides,
  };
}

/** A telemetry device with one battery status report of the given samples. */
export function aTelemetryDevice(options: {
  deviceId: string;
  serialNumber: string;
  samples?: { at: number; remaining: number }[];
  fullChargeCapacity?: number;
  designCapacity?: number;
  cycleCount?: number;
  batteryHealth?: string;
}): Record<string, unknown> {
  const samples = options.samples ?? [];
  return {
    name: `customers/my_customer/telemetry/devices/${options.deviceId}`,
    customer: 'customers/C0123abcd',
    orgUnitId: '03ph8a2z1',
    deviceId: options.deviceId,
    serialNumber: options.serialNumber,
    batteryInfo: [{ serialNumber: 'BAT1', designCapacity: String(options.designCapacity ?? 4000), technology: 'Li-ion' }],
    batteryStatusReport: [
      {
        reportTime: new Date(Math.max(0, ...samples.map((s) => s.at))).toISOString(),
        serialNumber: 'BAT1',
        batteryHealth: options.batteryHealth ?? 'BATTERY_HEALTH_NORMAL',
        cycleCount: options.cycleCount ?? 120,
        fullChargeCapacity: String(options.fullChargeCapacity ?? 3800),
        sample: [...samples]
          .sort((a, b) => b.at - a.at)
          .map((s) => ({
            reportTime: new Date(s.at).toISOString(),
            remainingCapacity: String(s.remaining),
            status: 'Discharging',
          })),
      },
    ],
  };
}
