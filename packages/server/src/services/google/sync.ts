import {
  batteryWear,
  DomainError,
  latestBatteryReading,
  matchDirectoryDevices,
  parseBatteryWearSettings,
  type BatteryWearSettings,
  type Principal,
} from '@cubby/core';
import {
  claimGoogleSync,
  devicesForGoogleMatch,
  districtSettings,
  findFirstDistrict,
  findGoogleConnection,
  insertGoogleSync,
  newId,
  releaseGoogleSync,
  setBatteryHealth,
  setBatteryIfNewer,
  setGoogleFields,
  type GoogleSyncRecord,
  type Tx,
} from '@cubby/db';
import type { GoogleSyncCounts, GoogleSyncRun } from '@cubby/protocol/api';
import {
  batteryReportOf,
  directoryEntry,
  googleDeviceFields,
  telemetryEntry,
  unmatchedSummary,
  type DirectoryEntry,
  type TelemetryEntry,
} from '../../integrations/google-admin/device-fields.js';
import type { GoogleClient } from '../../integrations/google-admin/google-client.js';
import { transact, type Services } from '../deps.js';
import { clientFor, toSyncRun, type ClientTuning } from './connection.js';

/**
 * A Google sync (docs/google.md): read every Chrome OS device from the
 * Directory (and, with telemetry on, every battery report), then in one
 * transaction match them to Cubby's devices by serial or asset tag, write the
 * fields that come from Google, the charge readings newer than Cubby's and
 * the battery health, and record the run. Nothing is created: what did not
 * match is in the run's result. One run at a time per district, across
 * server instances; a failed run is recorded with its error and writes nothing else.
 */
export type SyncTrigger = GoogleSyncRecord['trigger'];

/** A claim older than this belongs to a server that died mid-run. */
const claimStaleMs = 30 * 60_000;
const unmatchedShown = 200;

export interface SyncOptions extends ClientTuning {
  trigger: SyncTrigger;
  principal?: Principal | undefined;
  /** When the run starts (the schedule's clock). */
  clock?: () => number;
}

export async function runGoogleSync(services: Services, options: SyncOptions): Promise<GoogleSyncRun> {
  const district = await findFirstDistrict(services.cubby.db);
  if (!district) throw new DomainError('not_found', 'No district is set up yet');
  const row = await findGoogleConnection(services.cubby.db, district.id);
  const client = clientFor(services.keys, row, options);
  const claimedAt = (options.clock ?? Date.now)();
  if (!(await claimGoogleSync(services.cubby.db, district.id, claimedAt, claimStaleMs))) {
    throw new DomainError('conflict', 'A Google sync is already running; try again when it has finished');
  }
  const wear = parseBatteryWearSettings(districtSettings(district).batteryWear as Partial<BatteryWearSettings> | undefined);
  const actor = options.principal
    ? { actorType: 'user' as const, actorId: options.principal.id }
    : { actorType: 'system' as const, actorId: null };
  const base: RunBase = {
    id: newId(),
    district_id: district.id,
    trigger: options.trigger,
    actor_type: actor.actorType,
    actor_id: actor.actorId,
    started_at: claimedAt,
  };
  try {
    const fetched = await fetchEverything(client, row!.telemetry === 1);
    return await transact(services, async (tx) => {
      const { counts, unmatched } = await applySync(tx, district.id, fetched, wear);
      const record: GoogleSyncRecord = { ...base, finished_at: tx.now, outcome: 'succeeded', counts, unmatched, error: null };
      await insertGoogleSync(tx.db, record);
      tx.audit({
        ...actor,
        action: 'google.synced',
        entityType: 'district',
        entityId: district.id,
        data: { syncId: base.id, trigger: options.trigger, counts },
      });
      return toSyncRun(record);
    });
  } catch (error) {
    throw await recordFailure(services, base, error);
  } finally {
    await releaseGoogleSync(services.cubby.db, district.id, claimedAt);
  }
}

type RunBase = Omit<GoogleSyncRecord, 'finished_at' | 'outcome' | 'counts' | 'unmatched' | 'error'>;

/** A failed run is recorded with its error (and audited); what it answers carries the run's id. */
async function recordFailure(services: Services, base: RunBase, error: unknown): Promise<DomainError> {
  const message = error instanceof DomainError ? error.message : 'The sync failed unexpectedly';
  if (!(error instanceof DomainError)) services.log.error({ err: error }, 'the Google sync failed');
  await transact(services, async (tx) => {
    const record: GoogleSyncRecord = {
      ...base,
      finished_at: tx.now,
      outcome: 'failed',
      counts: emptyCounts(),
      unmatched: { onlyInGoogle: [], onlyInCubby: [] },
      error: message,
    };
    await insertGoogleSync(tx.db, record);
    tx.audit({
      actorType: base.actor_type,
      actorId: base.actor_id,
      action: 'google.sync_failed',
      entityType: 'district',
      entityId: base.district_id,
      data: { syncId: base.id, trigger: base.trigger, error: message },
    });
  });
  return error instanceof DomainError
    ? new DomainError(error.code, error.message, { ...error.details, syncId: base.id })
    : new DomainError('integration_failed', message, { syncId: base.id });
}

interface Fetched {
  directory: DirectoryEntry[];
  telemetry: TelemetryEntry[];
}

async function fetchEverything(client: GoogleClient, withTelemetry: boolean): Promise<Fetched> {
  const directory: DirectoryEntry[] = [];
  for await (const page of client.chromeOsDevicePages()) {
    for (const d of page) {
      const entry = directoryEntry(d);
      if (entry) directory.push(entry);
    }
  }
  const telemetry: TelemetryEntry[] = [];
  if (withTelemetry) {
    for await (const page of client.telemetryDevicePages()) {
      for (const d of page) {
        const entry = telemetryEntry(d);
        if (entry) telemetry.push(entry);
      }
    }
  }
  return { directory, telemetry };
}

function emptyCounts(): GoogleSyncCounts {
  return {
    seen: 0,
    matched: 0,
    updated: 0,
    onlyInGoogle: 0,
    onlyInCubby: 0,
    duplicates: 0,
    telemetrySeen: 0,
    batteryReadings: 0,
    batteryWorn: 0,
  };
}

async function applySync(tx: Tx, districtId: string, fetched: Fetched, wear: BatteryWearSettings) {
  const inventory = (await devicesForGoogleMatch(tx.db, districtId)).map((d) => ({
    id: d.id,
    serial: d.serial,
    assetTag: d.asset_tag,
  }));
  const match = matchDirectoryDevices(inventory, fetched.directory);
  const counts = emptyCounts();
  counts.seen = fetched.directory.length;
  counts.matched = match.matched.length;
  counts.onlyInGoogle = match.onlyInDirectory.length;
  counts.onlyInCubby = match.onlyInCubby.length;
  counts.duplicates = match.duplicates.length;
  for (const m of match.matched) {
    if (await setGoogleFields(tx.db, m.deviceId, googleDeviceFields(m.entry.device, tx.now))) counts.updated += 1;
  }
  const telemetry = matchDirectoryDevices(inventory, fetched.telemetry);
  counts.telemetrySeen = fetched.telemetry.length;
  for (const m of telemetry.matched) {
    const report = batteryReportOf(m.entry.device);
    if (!report) continue;
    const reading = latestBatteryReading(report);
    // A device clock ahead of ours must not hide the stations' later readings.
    if (reading && (await setBatteryIfNewer(tx.db, m.deviceId, reading.percent, Math.min(reading.at, tx.now), tx.now))) {
      counts.batteryReadings += 1;
    }
    const worn = batteryWear(report, wear);
    if (worn.worn) counts.batteryWorn += 1;
    await setBatteryHealth(tx.db, m.deviceId, {
      battery_health: report.health,
      battery_cycle_count: report.cycleCount,
      battery_full_capacity: report.fullChargeCapacity,
      battery_design_capacity: report.designCapacity,
      battery_worn: report.fullChargeCapacity || report.health || report.cycleCount !== null ? (worn.worn ? 1 : 0) : null,
    });
  }
  const unmatched = {
    onlyInGoogle: match.onlyInDirectory.slice(0, unmatchedShown).map((e) => unmatchedSummary({ ...e, model: e.device.model })),
    onlyInCubby: match.onlyInCubby.slice(0, unmatchedShown).map((d) => unmatchedSummary(d)),
  };
  return { counts, unmatched };
}
