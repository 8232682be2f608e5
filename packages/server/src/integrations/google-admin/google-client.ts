import { admin_directory_v1 } from '@googleapis/admin';
import { DomainError } from '@cubby/core';
import { gaxios, JWT } from 'google-auth-library';
import { googleTokenUrl, type ServiceAccountKey } from './service-account.js';

/**
 * Google's APIs as Cubby calls them: the Admin SDK Directory (Chrome OS
 * devices) through `@googleapis/admin`, the Chrome Management Telemetry API
 * through the same service account's authorised requests (Google publishes no
 * per-API package for it). Base URLs are settings, so tests point them at a
 * local fake; the token endpoint is the key file's `token_uri`.
 */
export const directoryScope = 'https://www.googleapis.com/auth/admin.directory.device.chromeos.readonly';
export const telemetryScope = 'https://www.googleapis.com/auth/chrome.management.telemetry.readonly';
export const defaultDirectoryUrl = 'https://admin.googleapis.com/';
export const defaultTelemetryUrl = 'https://chromemanagement.googleapis.com/';

export interface GoogleClientOptions {
  key: ServiceAccountKey;
  /** The admin the service account acts as (domain-wide delegation). */
  subject: string;
  customerId: string;
  directoryUrl: string;
  telemetryUrl: string;
  telemetry: boolean;
  /** Retries of a request Google answered 429 or 5xx (or did not answer), with backoff up to `maxRetryDelayMs`. */
  retries?: number;
  maxRetryDelayMs?: number;
  pageSize?: number;
}

export type ChromeOsDevice = admin_directory_v1.Schema$ChromeOsDevice;

/** Telemetry's device, as far as Cubby reads it (GoogleChromeManagementV1TelemetryDevice). */
export interface TelemetryDevice {
  deviceId?: string;
  serialNumber?: string;
  batteryInfo?: { designCapacity?: string; serialNumber?: string }[];
  batteryStatusReport?: {
    reportTime?: string;
    batteryHealth?: string;
    cycleCount?: number;
    fullChargeCapacity?: string;
    sample?: { reportTime?: string; remainingCapacity?: string }[];
  }[];
}

const slash = (url: string) => (url.endsWith('/') ? url : `${url}/`);

export class GoogleClient {
  readonly #auth: JWT;
  readonly #directory: admin_directory_v1.Admin;
  readonly #retry: gaxios.RetryConfig;

  constructor(private readonly options: GoogleClientOptions) {
    const transporter = new gaxios.Gaxios();
    // The JWT grant posts to Google's token URL; a key whose token_uri names another (a test's fake) goes there.
    const tokenUri = options.key.token_uri;
    transporter.interceptors.request.add({
      resolved: async (config) => {
        if (tokenUri !== googleTokenUrl && String(config.url) === googleTokenUrl) config.url = new URL(tokenUri);
        return config;
      },
    });
    this.#auth = new JWT({
      email: options.key.client_email,
      key: options.key.private_key,
      ...(options.key.private_key_id ? { keyId: options.key.private_key_id } : {}),
      scopes: options.telemetry ? [directoryScope, telemetryScope] : [directoryScope],
      subject: options.subject,
      transporter,
    });
    this.#directory = new admin_directory_v1.Admin({ auth: this.#auth, rootUrl: slash(options.directoryUrl) });
    this.#retry = {
      retry: options.retries ?? 3,
      noResponseRetries: options.retries ?? 3,
      maxRetryDelay: options.maxRetryDelayMs ?? 30_000,
      statusCodesToRetry: [
        [429, 429],
        [500, 599],
      ],
    };
  }

  /** The Chrome OS devices, a page at a time (projection FULL). */
  async *chromeOsDevicePages(): AsyncGenerator<ChromeOsDevice[]> {
    let pageToken: string | undefined;
    let page = 0;
    do {
      page += 1;
      const res = await this.#call('the Directory API', page, () =>
        this.#directory.chromeosdevices.list(
          {
            customerId: this.options.customerId,
            projection: 'FULL',
            maxResults: this.options.pageSize ?? 200,
            ...(pageToken ? { pageToken } : {}),
          },
          { retryConfig: this.#retry },
        ),
      );
      const data = res.data as unknown;
      if (!isPage(data, 'chromeosdevices')) throw malformed('the Directory API', page);
      yield (data.chromeosdevices ?? []) as ChromeOsDevice[];
      pageToken = data.nextPageToken || undefined;
    } while (pageToken);
  }

  /** Telemetry's devices with their battery reports, a page at a time. */
  async *telemetryDevicePages(): AsyncGenerator<TelemetryDevice[]> {
    const url = `${slash(this.options.telemetryUrl)}v1/customers/${encodeURIComponent(this.options.customerId)}/telemetry/devices`;
    let pageToken: string | undefined;
    let page = 0;
    do {
      page += 1;
      const res = await this.#call('the Telemetry API', page, () =>
        this.#auth.request<unknown>({
          url,
          params: {
            readMask: 'deviceId,serialNumber,batteryInfo,batteryStatusReport',
            pageSize: Math.min(this.options.pageSize ?? 100, 100),
            ...(pageToken ? { pageToken } : {}),
          },
          retryConfig: this.#retry,
        }),
      );
      const data = res.data;
      if (!isPage(data, 'devices')) throw malformed('the Telemetry API', page);
      yield (data.devices ?? []) as TelemetryDevice[];
      pageToken = data.nextPageToken || undefined;
    } while (pageToken);
  }

  async #call<T>(api: string, page: number, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw googleFailure(api, page, error);
    }
  }
}

function isPage(data: unknown, list: string): data is { nextPageToken?: string } & Record<string, unknown[] | undefined> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  const items = d[list];
  if (items !== undefined && !(Array.isArray(items) && items.every((i) => typeof i === 'object' && i !== null))) return false;
  return d.nextPageToken === undefined || typeof d.nextPageToken === 'string';
}

const malformed = (api: string, page: number) =>
  new DomainError('integration_failed', `${api} answered page ${page} with something that is not a device list`);

/**
 * What Google said, in a sentence an IT director can act on: the status and
 * Google's own message (never the request's credentials).
 */
function googleFailure(api: string, page: number, error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const e = error as { status?: number; response?: { status?: number; data?: unknown }; message?: string };
  const status = e.response?.status ?? e.status;
  const data = e.response?.data as { error?: unknown; error_description?: unknown } | undefined;
  const inner = data?.error;
  const said =
    typeof data?.error_description === 'string'
      ? data.error_description
      : typeof inner === 'object' && inner !== null && typeof (inner as { message?: unknown }).message === 'string'
        ? (inner as { message: string }).message
        : typeof inner === 'string'
          ? inner
          : (e.message ?? String(error));
  const hint =
    status === 401
      ? ' (check the key and that domain-wide delegation grants the scopes)'
      : status === 403
        ? ' (the admin may lack the privilege, or the API is not enabled for the project)'
        : status === 429
          ? ' (Google’s quota; it was retried)'
          : '';
  return new DomainError(
    'integration_failed',
    `${api}, page ${page}: ${status ? `HTTP ${status}: ` : ''}${said.slice(0, 300)}${hint}`,
    status ? { upstreamStatus: status } : {},
  );
}
