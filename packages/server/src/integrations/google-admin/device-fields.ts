import type { BatteryReport, DirectoryDevice } from '@cubby/core';
import type { GoogleDeviceFields } from '@cubby/db';
import type { ChromeOsDevice, TelemetryDevice } from './google-client.js';

/** Google's resources in Cubby's terms: what a device row keeps, what the match compares. */
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** RFC 3339 (lastSync) or int64 epoch ms as a string (autoUpdateExpiration); null when neither. */
export function googleTime(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string' || !v) return null;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

export type DirectoryEntry = DirectoryDevice & { device: ChromeOsDevice };

export function directoryEntry(device: ChromeOsDevice): DirectoryEntry | null {
  const directoryId = text(device.deviceId);
  if (!directoryId) return null;
  return { directoryId, serial: text(device.serialNumber), assetTag: text(device.annotatedAssetId), device };
}

export function googleDeviceFields(device: ChromeOsDevice, now: number): GoogleDeviceFields {
  return {
    google_device_id: device.deviceId!,
    google_org_unit_path: text(device.orgUnitPath),
    google_status: text(device.status),
    google_last_sync: googleTime(device.lastSync),
    google_annotated_user: text(device.annotatedUser),
    google_recent_user: text(device.recentUsers?.[0]?.email),
    os_updates_end: googleTime(device.autoUpdateExpiration),
    google_synced_at: now,
  };
}

export function unmatchedSummary(d: { serial: string | null; assetTag: string | null; model?: string | null }) {
  return { serial: d.serial, assetTag: d.assetTag, model: d.model ?? null };
}

export type TelemetryEntry = DirectoryDevice & { device: TelemetryDevice };

export function telemetryEntry(device: TelemetryDevice): TelemetryEntry | null {
  const directoryId = text(device.deviceId);
  const serial = text(device.serialNumber);
  if (!directoryId || !serial) return null;
  return { directoryId, serial, assetTag: null, device };
}

const capacity = (v: unknown): number | null => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : typeof v === 'number' ? v : NaN;
  return Number.isFinite(n) && n > 0 ? n : null;
};

/** The device's battery from its latest status report and its battery info. */
export function batteryReportOf(device: TelemetryDevice): BatteryReport | null {
  const reports = device.batteryStatusReport ?? [];
  if (reports.length === 0) return null;
  const latest = [...reports].sort((a, b) => (googleTime(b.reportTime) ?? 0) - (googleTime(a.reportTime) ?? 0))[0]!;
  // The latest report's samples, against that report's full-charge capacity.
  const samples = (latest.sample ?? []).flatMap((s) => {
    const at = googleTime(s.reportTime);
    const remaining = typeof s.remainingCapacity === 'string' ? Number(s.remainingCapacity) : NaN;
    return at !== null && Number.isFinite(remaining) ? [{ at, remainingCapacity: remaining }] : [];
  });
  return {
    samples,
    fullChargeCapacity: capacity(latest.fullChargeCapacity),
    designCapacity: capacity(device.batteryInfo?.[0]?.designCapacity),
    cycleCount: typeof latest.cycleCount === 'number' && latest.cycleCount >= 0 ? latest.cycleCount : null,
    health: text(latest.batteryHealth),
  };
}
