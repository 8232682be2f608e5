import type { Generated } from 'kysely';
import type {
  CompartmentStatus,
  JobState,
  DevicePool,
  DeviceStatus,
  LoanReason,
  LoanStatus,
  RepairStatus,
  RepairSymptom,
  ChargeStatus,
  StepPurpose,
  TaskKind,
  TaskState,
  TransactionKind,
  TransactionStatus,
} from '@cubby/core';

/**
 * Table types shared by both dialects. Times are epoch milliseconds, booleans
 * are 0/1 integers and JSON is text (jsonb on PostgreSQL), so one set of
 * migrations and queries serves SQLite and PostgreSQL alike.
 */
export interface Database {
  districts: DistrictTable;
  sites: SiteTable;
  stations: StationTable;
  compartments: CompartmentTable;
  people: PersonTable;
  devices: DeviceTable;
  loans: LoanTable;
  repair_tickets: RepairTicketTable;
  repair_photos: RepairPhotoTable;
  tasks: TaskTable;
  charge_sessions: ChargeSessionTable;
  kiosk_transactions: KioskTransactionTable;
  alerts: AlertTable;
  audit_events: AuditEventTable;
  audit_chain: AuditChainTable;
  api_tokens: ApiTokenTable;
  journal_entries_applied: JournalEntryAppliedTable;
  policy_snapshots: PolicySnapshotTable;
  users: UserTable;
  user_sessions: UserSessionTable;
  throttles: ThrottleTable;
  google_connections: GoogleConnectionTable;
  google_syncs: GoogleSyncTable;
  person_contacts: PersonContactTable;
  import_runs: ImportRunTable;
  jobs: JobTable;
  email_settings: EmailSettingsTable;
}

type Bool = 0 | 1;
type Json = string | Record<string, unknown>;

export interface DistrictTable {
  id: string;
  name: string;
  settings: Json;
  created_at: number;
}

export interface SiteTable {
  id: string;
  district_id: string;
  name: string;
  time_zone: string;
  school_day_end: string;
  created_at: number;
  /** The roster's org sourcedId (migration 0012); null: set up by hand. */
  external_id?: string | null;
}

export interface StationTable {
  id: string;
  site_id: string;
  name: string;
  token_hash: string | null;
  /** One-time enrollment code (hash) and when it stops working (migration 0003). */
  enroll_code_hash?: string | null;
  enroll_expires_at?: number | null;
  /** The bank's grid; null: derived from the compartment count (migration 0004). */
  grid_columns?: number | null;
  grid_rows?: number | null;
  /** Highest offline journal sequence the station reported at its last hello (migration 0004). */
  journal_seq?: number | null;
  /** The station's live kiosk session; null: nobody signed in (migration 0006). */
  kiosk_session_id?: string | null;
  connected: Bool;
  last_seen_at: number | null;
  created_at: number;
}

export interface CompartmentTable {
  id: string;
  station_id: string;
  number: number;
  has_charger: Bool;
  status: CompartmentStatus;
  device_id: string | null;
  door: 'open' | 'closed';
  presence: Bool;
  charging: Bool;
  /** Since when the device inside has been on this door's charger (migration 0009); null when empty. */
  charging_since?: number | null;
  /** A current-sensing board's latest word on this port, and when (migration 0009). */
  charge_sensed?: 'charging' | 'charged' | null;
  charge_sensed_at?: number | null;
  /** The kiosk transaction holding this compartment, and what the person does at its door. */
  transaction_id: string | null;
  purpose: StepPurpose | null;
  command_id: string | null;
  updated_at: number;
}

export interface PersonTable {
  id: string;
  district_id: string;
  site_id: string | null;
  role: 'student' | 'staff' | 'technician' | 'admin';
  external_id: string | null;
  student_number: string | null;
  given_name: string;
  family_name: string;
  grade: string | null;
  badge_hash: string | null;
  /** Keyed hash a station can compute offline from a scanned badge (migration 0002). */
  offline_badge_hash?: string | null;
  pin_hash: string | null;
  agreement_accepted_at: number | null;
  active: Bool;
  created_at: number;
  /** Set when the person's identity was erased; the row stays, under a pseudonym (migration 0006). */
  erased_at?: number | null;
  /** Where receipts and notices go, and in which language (`en`, `es`; null: the district's default) (migration 0016). */
  email?: string | null;
  language?: string | null;
}

export interface DeviceTable {
  id: string;
  district_id: string;
  site_id: string | null;
  asset_tag: string;
  serial: string | null;
  model: string;
  pool: DevicePool;
  owner_id: string | null;
  status: DeviceStatus;
  condition: string;
  battery_percent: number;
  /** When `battery_percent` was measured (a board, telemetry); null: never, it is not a reading (migration 0009). */
  battery_measured_at?: number | null;
  loan_count: number;
  last_loaned_at: number | null;
  warranty_end: number | null;
  /** From the inventory import (migration 0012). */
  purchase_date?: number | null;
  notes?: string | null;
  created_at: number;
  updated_at: number;
  /** What Google Admin says about the device (migration 0011, docs/google.md); null: never synced. */
  google_device_id?: string | null;
  google_org_unit_path?: string | null;
  google_status?: string | null;
  google_last_sync?: number | null;
  google_annotated_user?: string | null;
  google_recent_user?: string | null;
  /** When it was last wiped, and when its owner last gave it up (migration 0014, docs/repairs.md). */
  wiped_at?: number | null;
  released_at?: number | null;
  /** End of OS updates (Google's autoUpdateExpiration). */
  os_updates_end?: number | null;
  google_synced_at?: number | null;
  /** Battery health from Google's telemetry; `battery_worn`: core's batteryWear says it no longer lasts a school day. */
  battery_health?: string | null;
  battery_cycle_count?: number | null;
  battery_full_capacity?: number | null;
  battery_design_capacity?: number | null;
  battery_worn?: Bool | null;
}

export interface LoanTable {
  id: string;
  device_id: string;
  person_id: string;
  station_id: string;
  compartment_id: string;
  transaction_id: string;
  reason: LoanReason;
  status: LoanStatus;
  created_at: number;
  started_at: number | null;
  due_at: number;
  ended_at: number | null;
  return_station_id: string | null;
}

export interface RepairTicketTable {
  id: string;
  device_id: string;
  person_id: string | null;
  transaction_id: string | null;
  loan_id: string | null;
  status: RepairStatus;
  symptom: RepairSymptom;
  notes: string;
  cost_cents: number | null;
  warranty_claim: Bool;
  fee_cents: number | null;
  compartment_id: string | null;
  reported_at: number;
  awaiting_collection_at: number | null;
  collected_at: number | null;
  in_repair_at: number | null;
  repaired_at: number | null;
  ready_for_pickup_at: number | null;
  closed_at: number | null;
  retired_at: number | null;
  /** The repair workflow (migration 0013): vendor/RMA reference, parts used, who opened it by hand, the assigned technician (a user). */
  vendor_ref?: string | null;
  parts?: string;
  opened_by?: string | null;
  technician_id?: string | null;
}

/** A photo of a ticket's device (migration 0013): the bytes as uploaded, checked to be one of the image types. */
export interface RepairPhotoTable {
  id: string;
  ticket_id: string;
  content_type: string;
  bytes: Uint8Array;
  size: number;
  uploaded_by: string | null;
  uploaded_at: number;
}

/** A single-use pick-up or drop-off for one person at one station (migration 0015, core/task). */
export interface TaskTable {
  id: string;
  district_id: string;
  station_id: string;
  kind: TaskKind;
  person_id: string;
  device_id: string | null;
  compartment_id: string | null;
  state: TaskState;
  note: string;
  created_by: string;
  created_at: number;
  ready_at: number | null;
  ready_by: string | null;
  done_at: number | null;
  done_by: string | null;
  cancelled_at: number | null;
  cancelled_by: string | null;
}

export interface ChargeSessionTable {
  id: string;
  person_id: string;
  device_id: string | null;
  station_id: string;
  compartment_id: string;
  transaction_id: string;
  status: ChargeStatus;
  created_at: number;
  deposited_at: number | null;
  collected_at: number | null;
}

export interface KioskTransactionTable {
  id: string;
  station_id: string;
  person_id: string;
  /** The station's message id for the request: a replay of it is refused. */
  request_id: string;
  kind: TransactionKind;
  status: TransactionStatus;
  error_code: string | null;
  loan_id: string | null;
  repair_ticket_id: string | null;
  charge_session_id: string | null;
  /** Kind-specific input, e.g. the symptom a swap reported. */
  detail: Json;
  created_at: number;
  completed_at: number | null;
}

export interface AlertTable {
  id: string;
  /**
   * step_unsettled: a transaction step the server could not settle from the door's reading; a technician checks the door.
   * pin_guessing: many wrong PINs at one station (across student numbers); its PIN sign-in is paused for a while.
   * journal_refused: a station replayed an offline entry that does not match what the server sent it (docs/security.md).
   */
  kind: 'door_left_open' | 'lock_fault' | 'charge_expired' | 'step_unsettled' | 'pin_guessing' | 'journal_refused';
  station_id: string;
  compartment_id: string | null;
  detail: Json;
  raised_at: number;
  cleared_at: number | null;
}

export interface AuditEventTable {
  /** Place in the hash chain; null until sealed. */
  seq: number | null;
  id: string;
  at: number;
  actor_type: 'person' | 'station' | 'system' | 'user';
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  station_id: string | null;
  transaction_id: string | null;
  data: Json;
  prev_hash: string | null;
  hash: string | null;
}

export interface AuditChainTable {
  id: number;
  last_seq: number;
  last_hash: string;
}

export interface ApiTokenTable {
  id: string;
  name: string;
  token_hash: string;
  scopes: Json;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
  /** JSON array of site ids the token is limited to; null: the whole district (migration 0003). */
  site_ids?: string | null;
  created_by?: string | null;
}

/** A dashboard user (district staff); students and kiosk staff are `people`. */
export interface UserTable {
  id: string;
  district_id: string;
  email: string;
  name: string;
  role: 'district_admin' | 'site_admin' | 'technician' | 'auditor';
  /** JSON array of site ids for site-scoped roles, null otherwise. */
  site_ids: string | null;
  password_hash: string | null;
  oidc_subject: string | null;
  failed_logins: number;
  locked_until: number | null;
  disabled: Bool;
  created_at: number;
  last_login_at: number | null;
}

export interface UserSessionTable {
  /** SHA-256 of the cookie value. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

/** A station's offline journal entry the server has decided on (applied, flagged or rejected), once. */
export interface JournalEntryAppliedTable {
  station_id: string;
  key: string;
  seq: number;
  kind: string;
  decision: 'applied' | 'flagged' | 'rejected';
  note: string | null;
  happened_at: number;
  applied_at: number;
  /** The policy snapshot the station named (migration 0008); null before it or when it named none. */
  snapshot_id?: string | null;
}

/** What the server sent a station to decide with offline (migration 0008). */
export interface PolicySnapshotTable {
  id: string;
  station_id: string;
  digest: string;
  hashing: Json;
  max_active_loans: number;
  offline_borrow_limit: number;
  people: Json;
  loaners: Json;
  created_at: number;
}

/** Attempts counted against one key within a window (migration 0007; throttles.ts). */
export interface ThrottleTable {
  /** A keyed hash naming what is counted (sign-ins from an address, wrong PINs at a station, …). */
  key: string;
  hits: number;
  /** When the count starts over; pushed out to the end of a block once the limit is reached. */
  window_ends_at: number;
}

export type Dialect = 'sqlite' | 'postgres';
export type { Generated };

/** The district's Google connection (migration 0011); the key is sealed, never stored in clear. */
export interface GoogleConnectionTable {
  district_id: string;
  customer_id: string;
  admin_email: string;
  client_email: string;
  key_sealed: string;
  directory_url: string;
  telemetry_url: string;
  telemetry: Bool;
  sync_interval_minutes: number;
  sync_claimed_at: number | null;
  updated_at: number;
  updated_by: string | null;
}

/** One Google sync run: who or what started it, what it changed and what did not match. */
export interface GoogleSyncTable {
  id: string;
  district_id: string;
  trigger: 'dashboard' | 'schedule' | 'cli';
  actor_type: 'user' | 'system';
  actor_id: string | null;
  started_at: number;
  finished_at: number;
  outcome: 'succeeded' | 'failed';
  counts: Json;
  unmatched: Json;
  error: string | null;
}

/** A student's guardian or parent from the roster, for notices (migration 0012). */
export interface PersonContactTable {
  id: string;
  person_id: string;
  external_id: string;
  relationship: string;
  given_name: string;
  family_name: string;
  email: string | null;
  phone: string | null;
  created_at: number;
  updated_at: number;
}

/** One roster or inventory import: previewed, applied or refused (migration 0012). */
export interface ImportRunTable {
  id: string;
  district_id: string | null;
  kind: 'oneroster' | 'people' | 'devices';
  file_name: string;
  actor_type: 'system' | 'user';
  actor_id: string | null;
  status: 'previewed' | 'applied' | 'refused';
  counts: Json;
  problems: Json;
  created_at: number;
  applied_at: number | null;
}

/** A durable job: the outbox row written with the change that causes it (migration 0016). */
export interface JobTable {
  id: string;
  kind: string;
  payload: Json;
  state: JobState;
  attempts: number;
  max_attempts: number;
  run_at: number;
  claimed_by: string | null;
  claimed_until: number | null;
  last_error: string | null;
  result: Json | null;
  dedupe_key: string;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

/** A district's outgoing mail server (migration 0016); the password is sealed, never stored in clear. */
export interface EmailSettingsTable {
  district_id: string;
  enabled: Bool;
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username: string | null;
  password_sealed: string | null;
  from_address: string;
  reply_to: string | null;
  default_language: 'en' | 'es';
  updated_at: number;
  updated_by: string | null;
}
