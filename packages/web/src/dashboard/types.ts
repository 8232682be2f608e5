import type { FleetCounts, Permission, StaffRole } from '@cubby/core';

/** Shapes the dashboard reads, as docs/dashboard-api.md maps them. */
export type { Permission, StaffRole };

export interface AuthStatus {
  setupRequired: boolean;
  oidc: { enabled: boolean; label?: string | null };
}

export interface Me {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  siteIds: string[] | null;
  permissions: Permission[];
}

export type Counts = FleetCounts;

export interface OverviewStation {
  id: string;
  name: string;
  connected: boolean;
  lastSeenAt: number | null;
  backlog: number;
  counts: Counts;
}

export interface Overview {
  generatedAt: number;
  totals: Counts;
  campuses: { id: string; name: string; timeZone: string; totals: Counts; stations: OverviewStation[] }[];
}

export interface GridCompartment {
  id: string;
  number: number;
  row: number;
  column: number;
  status: string;
  door: string;
  presence: boolean;
  charging: boolean;
  hasCharger: boolean;
  device: { id: string; assetTag: string; model: string; pool: string; status: string; batteryPercent: number | null } | null;
  holder: { personId: string; name: string | null; since: number | null; dueAt: number | null } | null;
  alert: string | null;
}

export interface StationGrid {
  station: {
    id: string;
    name: string;
    siteId: string;
    siteName: string;
    connected: boolean;
    lastSeenAt: number | null;
    backlog: number;
  };
  columns: number;
  rows: number;
  compartments: GridCompartment[];
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type Row = Record<string, unknown>;

export interface Site {
  id: string;
  name: string;
  time_zone: string;
  school_day_end: string;
}

export interface Station {
  id: string;
  site_id: string;
  name: string;
  connected: boolean;
  last_seen_at: number | null;
}

export interface DashboardUser {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  siteIds: string[] | null;
  disabled: boolean;
  lastLoginAt: number | null;
}

export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  siteIds: string[] | null;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt?: number | null;
}

/** One server-sent event of /api/v1/live. */
export interface LiveEvent {
  type: string;
  at: number;
  siteId?: string | null;
  stationId?: string | null;
  connected?: boolean;
  kind?: string;
  compartmentNumber?: number | null;
}
