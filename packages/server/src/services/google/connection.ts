import { DomainError, type Principal } from '@cubby/core';
import {
  deleteGoogleConnection,
  findFirstDistrict,
  findGoogleConnection,
  recentGoogleSyncs,
  saveGoogleConnection,
  type GoogleConnectionTable,
  type GoogleSyncRecord,
} from '@cubby/db';
import type { GoogleConnection, GoogleConnectionChange, GoogleSyncRun } from '@cubby/protocol/api';
import { defaultDirectoryUrl, defaultTelemetryUrl, GoogleClient } from '../../integrations/google-admin/google-client.js';
import { parseServiceAccountKey, type ServiceAccountKey } from '../../integrations/google-admin/service-account.js';
import type { Keys } from '../../secrets.js';
import { transact, type Services } from '../deps.js';

/**
 * The district's Google connection (docs/google.md): a district admin stores
 * the service account key, the customer and the admin it acts as. The key is
 * sealed under the server secret and never answered; the audit log records
 * who changed the connection, never the key.
 */
const keyPurpose = (districtId: string) => `google-service-account:${districtId}`;

export async function theDistrictId(services: Services): Promise<string> {
  const district = await findFirstDistrict(services.cubby.db);
  if (!district) throw new DomainError('not_found', 'No district is set up yet');
  return district.id;
}

export function toSyncRun(r: GoogleSyncRecord): GoogleSyncRun {
  return {
    id: r.id,
    trigger: r.trigger,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    outcome: r.outcome,
    counts: r.counts as GoogleSyncRun['counts'],
    error: r.error,
    unmatched: r.unmatched as GoogleSyncRun['unmatched'],
  };
}

export async function googleConnection(services: Services): Promise<GoogleConnection> {
  const districtId = await theDistrictId(services);
  const row = await findGoogleConnection(services.cubby.db, districtId);
  const recent = (await recentGoogleSyncs(services.cubby.db, districtId, 10)).map(toSyncRun);
  if (!row) {
    return {
      connected: false,
      clientEmail: null,
      customerId: 'my_customer',
      adminEmail: null,
      directoryUrl: defaultDirectoryUrl,
      telemetryUrl: defaultTelemetryUrl,
      telemetry: true,
      syncIntervalMinutes: 360,
      recentSyncs: recent,
    };
  }
  return {
    connected: true,
    clientEmail: row.client_email,
    customerId: row.customer_id,
    adminEmail: row.admin_email,
    directoryUrl: row.directory_url,
    telemetryUrl: row.telemetry_url,
    telemetry: row.telemetry === 1,
    syncIntervalMinutes: row.sync_interval_minutes,
    recentSyncs: recent,
  };
}

function checkUrl(url: string, name: string): string {
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new DomainError('bad_request', `${name} must be an http(s) URL`);
  }
  return url;
}

export async function changeGoogleConnection(
  services: Services,
  principal: Principal,
  input: GoogleConnectionChange,
): Promise<GoogleConnection> {
  const key = input.serviceAccountKey === undefined ? null : parseServiceAccountKey(input.serviceAccountKey);
  const districtId = await theDistrictId(services);
  await transact(services, async (tx) => {
    const before = await findGoogleConnection(tx.db, districtId);
    if (!before && !key) throw new DomainError('bad_request', 'Paste the service account key to connect Google');
    const row: Omit<GoogleConnectionTable, 'sync_claimed_at'> = {
      district_id: districtId,
      customer_id: input.customerId,
      admin_email: input.adminEmail,
      client_email: key?.client_email ?? before!.client_email,
      key_sealed: key ? services.keys.seal(JSON.stringify(key), keyPurpose(districtId)) : before!.key_sealed,
      directory_url: checkUrl(input.directoryUrl ?? before?.directory_url ?? defaultDirectoryUrl, 'directoryUrl'),
      telemetry_url: checkUrl(input.telemetryUrl ?? before?.telemetry_url ?? defaultTelemetryUrl, 'telemetryUrl'),
      telemetry: input.telemetry ? 1 : 0,
      sync_interval_minutes: input.syncIntervalMinutes,
      updated_at: tx.now,
      updated_by: principal.id,
    };
    await saveGoogleConnection(tx.db, row);
    const { key_sealed: _k, ...shown } = row;
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: before ? 'google.connection_updated' : 'google.connected',
      entityType: 'district',
      entityId: districtId,
      // Never the key: only that a new one was given.
      data: { ...shown, newKey: key !== null, by: { kind: principal.kind, name: principal.name } },
    });
  });
  return googleConnection(services);
}

export async function disconnectGoogle(services: Services, principal: Principal): Promise<void> {
  const districtId = await theDistrictId(services);
  await transact(services, async (tx) => {
    if (!(await findGoogleConnection(tx.db, districtId))) throw new DomainError('not_found', 'Google is not connected');
    await deleteGoogleConnection(tx.db, districtId);
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'google.disconnected',
      entityType: 'district',
      entityId: districtId,
      data: { by: { kind: principal.kind, name: principal.name } },
    });
  });
}

export interface ClientTuning {
  retries?: number;
  maxRetryDelayMs?: number;
  pageSize?: number;
}

/** A client for the stored connection; `conflict` when Google is not connected. */
export function clientFor(keys: Keys, row: GoogleConnectionTable | undefined, tuning: ClientTuning = {}): GoogleClient {
  if (!row) throw new DomainError('conflict', 'Google is not connected: store a service account key first');
  const text = keys.unseal(row.key_sealed, keyPurpose(row.district_id));
  if (text === undefined) {
    throw new DomainError('conflict', 'The stored Google key cannot be read (was CUBBY_SECRET changed?): store the key again');
  }
  const key = JSON.parse(text) as ServiceAccountKey;
  return new GoogleClient({
    key,
    subject: row.admin_email,
    customerId: row.customer_id,
    directoryUrl: row.directory_url,
    telemetryUrl: row.telemetry_url,
    telemetry: row.telemetry === 1,
    ...tuning,
  });
}

/** Asks Google for one page of devices: proves the key, the delegation and the customer. */
export async function testGoogleConnection(services: Services, tuning: ClientTuning = {}) {
  const districtId = await theDistrictId(services);
  const client = clientFor(services.keys, await findGoogleConnection(services.cubby.db, districtId), {
    ...tuning,
    pageSize: 1,
  });
  try {
    const first = await client.chromeOsDevicePages().next();
    const n = first.done ? 0 : first.value.length;
    return { ok: true, detail: n ? 'Chrome OS devices are listed' : 'no Chrome OS devices are listed' };
  } catch (error) {
    if (error instanceof DomainError && error.code === 'integration_failed') return { ok: false, detail: error.message };
    throw error;
  }
}
