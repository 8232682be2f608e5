import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';

/**
 * The server's whole configuration, read once from the environment at start.
 * Nothing else reads process.env.
 */
export interface ServerConfig {
  host: string;
  port: number;
  databaseUrl: string;
  /** Keys badge hashes and kiosk session tokens. Changing it invalidates enrolled badges. */
  secret: string;
  logLevel: string;
  /** How long a kiosk sign-in stays valid without a new request. */
  kioskSessionSeconds: number;
  /** Solenoid pulse sent with each unlock. */
  unlockPulseMs: number;
  /** Wrong PINs before a student number is locked out, and for how long. */
  pinMaxFailures: number;
  pinLockoutSeconds: number;
  /** Loaners one station may hand out on its own during one outage. */
  offlineBorrowLimit: number;
  /** A station's snapshot lists its campus's people who used Cubby there in the last this many days (or hold a loan). */
  offlineRecentDays: number;
  /** How long a station's snapshots keep one credential salt (each salt costs the server one scrypt per person). */
  offlineSaltHours: number;
  /** How often each connected station gets a fresh policy snapshot, besides after its own changes. */
  /** Wait after a change at a station before re-sending its snapshot: a busy morning must not rebuild it per transaction. */
  policySnapshotDelayMs: number;
  policySnapshotSeconds: number;
  /**
   * production: session cookies are Secure (https only) and there are no demo
   * accounts; the first district admin is created by first-run setup.
   */
  mode: 'production' | 'demo' | 'development';
  /** How long a dashboard sign-in lasts. */
  sessionHours: number;
  /** Wrong passwords before an account is locked, and for how long. */
  loginMaxFailures: number;
  loginLockoutSeconds: number;
  /** Single sign-on (OpenID Connect); null when not configured. */
  oidc: OidcConfig | null;
  /**
   * The reverse proxies whose X-Forwarded-For is believed (addresses, CIDR
   * ranges, or loopback/linklocal/uniquelocal); false: the connection's own
   * address is the client's. Never "every hop": a client could then name any address.
   */
  trustProxy: string[] | false;
  /** Failed sign-ins (login, setup, station enrollment, single sign-on) from one client address per window. */
  signInAddressMaxFailures: number;
  signInAddressWindowSeconds: number;
  /** Wrong PINs at one station (any student numbers) per window before its PIN sign-in pauses for the window. */
  pinStationMaxFailures: number;
  pinStationWindowSeconds: number;
  /** Wrong PINs in the whole district per window before PIN sign-in pauses everywhere. */
  pinDistrictMaxFailures: number;
  pinDistrictWindowSeconds: number;
  /** Password and PIN hashes (argon2id) run at once in this process, and how many may wait. */
  hashConcurrency: number;
  hashQueue: number;
  /** The durable job runner (docs/notifications.md). */
  jobs: JobsConfig;
  /** SMTP timeouts; the server and credentials are the district's settings. */
  email: { connectionTimeoutMs: number; socketTimeoutMs: number };
}

export interface JobsConfig {
  /** false: this instance runs no jobs (another instance on the same PostgreSQL does). */
  enabled: boolean;
  pollMs: number;
  /** How long a claim holds a job: a killed runner's jobs are taken over after it. Longer than any send. */
  leaseMs: number;
  batch: number;
  maxAttempts: number;
  retry: { baseMs: number; maxMs: number; jitter: number };
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Where the identity provider sends the browser back: …/api/v1/auth/oidc/callback on this server. */
  redirectUrl: string;
  /** What the sign-in button says, e.g. "Sign in with Google". */
  label: string;
}

export class ConfigError extends Error {}

export function loadServerConfig(env: Record<string, string | undefined>, defaults: Partial<ServerConfig> = {}): ServerConfig {
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${name} must be an integer from ${min} to ${max}`);
    return n;
  };
  const secret = env.CUBBY_SECRET ?? defaults.secret;
  if (!secret) throw new ConfigError('CUBBY_SECRET is required (32+ random characters)');
  if (secret.length < 32) throw new ConfigError('CUBBY_SECRET must be at least 32 characters');
  const config: ServerConfig = {
    host: env.HOST ?? defaults.host ?? '127.0.0.1',
    port: int('PORT', defaults.port ?? 8080, 0, 65535),
    databaseUrl: env.DATABASE_URL ?? defaults.databaseUrl ?? './data/cubby.db',
    secret,
    logLevel: env.LOG_LEVEL ?? defaults.logLevel ?? 'info',
    kioskSessionSeconds: int('CUBBY_KIOSK_SESSION_SECONDS', defaults.kioskSessionSeconds ?? 300, 10, 3600),
    unlockPulseMs: int('CUBBY_UNLOCK_PULSE_MS', defaults.unlockPulseMs ?? 300, 50, 2000),
    pinMaxFailures: int('CUBBY_PIN_MAX_FAILURES', defaults.pinMaxFailures ?? 5, 1, 100),
    pinLockoutSeconds: int('CUBBY_PIN_LOCKOUT_SECONDS', defaults.pinLockoutSeconds ?? 900, 1, 86400),
    offlineBorrowLimit: int('CUBBY_OFFLINE_BORROW_LIMIT', defaults.offlineBorrowLimit ?? 20, 0, 1000),
    offlineRecentDays: int('CUBBY_OFFLINE_RECENT_DAYS', defaults.offlineRecentDays ?? 60, 0, 3650),
    offlineSaltHours: int('CUBBY_OFFLINE_SALT_HOURS', defaults.offlineSaltHours ?? 24, 1, 24 * 30),
    policySnapshotSeconds: int('CUBBY_POLICY_SNAPSHOT_SECONDS', defaults.policySnapshotSeconds ?? 60, 1, 86400),
    policySnapshotDelayMs: int('CUBBY_POLICY_SNAPSHOT_DELAY_MS', defaults.policySnapshotDelayMs ?? 5000, 0, 600_000),
    mode: parseMode(env.CUBBY_MODE ?? defaults.mode ?? 'production'),
    sessionHours: int('CUBBY_SESSION_HOURS', defaults.sessionHours ?? 12, 1, 24 * 30),
    loginMaxFailures: int('CUBBY_LOGIN_MAX_FAILURES', defaults.loginMaxFailures ?? 5, 1, 100),
    loginLockoutSeconds: int('CUBBY_LOGIN_LOCKOUT_SECONDS', defaults.loginLockoutSeconds ?? 900, 1, 86400),
    oidc: parseOidc(env) ?? defaults.oidc ?? null,
    trustProxy: parseTrustProxy(env.CUBBY_TRUST_PROXY) ?? defaults.trustProxy ?? false,
    signInAddressMaxFailures: int('CUBBY_SIGNIN_ADDRESS_MAX_FAILURES', defaults.signInAddressMaxFailures ?? 50, 1, 100_000),
    signInAddressWindowSeconds: int('CUBBY_SIGNIN_ADDRESS_WINDOW_SECONDS', defaults.signInAddressWindowSeconds ?? 900, 1, 86400),
    pinStationMaxFailures: int('CUBBY_PIN_STATION_MAX_FAILURES', defaults.pinStationMaxFailures ?? 20, 1, 100_000),
    pinStationWindowSeconds: int('CUBBY_PIN_STATION_WINDOW_SECONDS', defaults.pinStationWindowSeconds ?? 600, 1, 86400),
    pinDistrictMaxFailures: int('CUBBY_PIN_DISTRICT_MAX_FAILURES', defaults.pinDistrictMaxFailures ?? 300, 1, 1_000_000),
    pinDistrictWindowSeconds: int('CUBBY_PIN_DISTRICT_WINDOW_SECONDS', defaults.pinDistrictWindowSeconds ?? 600, 1, 86400),
    hashConcurrency: int('CUBBY_HASH_CONCURRENCY', defaults.hashConcurrency ?? 2, 1, 64),
    hashQueue: int('CUBBY_HASH_QUEUE', defaults.hashQueue ?? 32, 0, 10_000),
    jobs: jobsConfig(env, int, defaults.jobs),
    email: {
      connectionTimeoutMs: int('CUBBY_SMTP_TIMEOUT_MS', defaults.email?.connectionTimeoutMs ?? 15_000, 100, 600_000),
      socketTimeoutMs: int('CUBBY_SMTP_SOCKET_TIMEOUT_MS', defaults.email?.socketTimeoutMs ?? 30_000, 100, 600_000),
    },
  };
  // A send must end (or time out) before its lease does, or another runner could send it too.
  if (config.jobs.leaseMs <= config.email.connectionTimeoutMs * 2 + config.email.socketTimeoutMs) {
    throw new ConfigError('CUBBY_JOBS_LEASE_MS must be longer than 2 × CUBBY_SMTP_TIMEOUT_MS + CUBBY_SMTP_SOCKET_TIMEOUT_MS');
  }
  return config;
}

type IntReader = (name: string, fallback: number, min: number, max: number) => number;

function jobsConfig(env: Record<string, string | undefined>, int: IntReader, defaults: JobsConfig | undefined): JobsConfig {
  return {
    enabled: (env.CUBBY_JOBS ?? (defaults?.enabled === false ? 'off' : 'on')) !== 'off',
    pollMs: int('CUBBY_JOBS_POLL_MS', defaults?.pollMs ?? 1000, 10, 600_000),
    leaseMs: int('CUBBY_JOBS_LEASE_MS', defaults?.leaseMs ?? 120_000, 1000, 3_600_000),
    batch: int('CUBBY_JOBS_BATCH', defaults?.batch ?? 10, 1, 1000),
    maxAttempts: int('CUBBY_JOBS_MAX_ATTEMPTS', defaults?.maxAttempts ?? 8, 1, 100),
    retry: {
      baseMs: int('CUBBY_JOBS_RETRY_BASE_MS', defaults?.retry.baseMs ?? 60_000, 10, 86_400_000),
      maxMs: int('CUBBY_JOBS_RETRY_MAX_MS', defaults?.retry.maxMs ?? 3_600_000, 10, 7 * 86_400_000),
      jitter: defaults?.retry.jitter ?? 0.2,
    },
  };
}

function parseMode(value: string): ServerConfig['mode'] {
  if (value === 'production' || value === 'demo' || value === 'development') return value;
  throw new ConfigError('CUBBY_MODE must be production, demo or development');
}

function parseOidc(env: Record<string, string | undefined>): OidcConfig | null {
  const issuer = env.CUBBY_OIDC_ISSUER;
  if (!issuer) return null;
  const clientId = env.CUBBY_OIDC_CLIENT_ID;
  const clientSecret = env.CUBBY_OIDC_CLIENT_SECRET;
  const redirectUrl = env.CUBBY_OIDC_REDIRECT_URL;
  if (!clientId || !clientSecret || !redirectUrl) {
    throw new ConfigError('CUBBY_OIDC_ISSUER needs CUBBY_OIDC_CLIENT_ID, CUBBY_OIDC_CLIENT_SECRET and CUBBY_OIDC_REDIRECT_URL');
  }
  for (const [name, url] of [
    ['CUBBY_OIDC_ISSUER', issuer],
    ['CUBBY_OIDC_REDIRECT_URL', redirectUrl],
  ] as const) {
    if (!URL.canParse(url)) throw new ConfigError(`${name} must be a URL`);
  }
  return { issuer, clientId, clientSecret, redirectUrl, label: env.CUBBY_OIDC_LABEL ?? 'Single sign-on' };
}

const proxyRanges = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** CUBBY_TRUST_PROXY: a comma-separated list of proxy addresses or ranges; unset: none. */
function parseTrustProxy(value: string | undefined): string[] | false | undefined {
  if (value === undefined) return undefined;
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (entries.length === 0 || (entries.length === 1 && /^(false|off|no|none)$/i.test(entries[0]!))) return false;
  for (const entry of entries) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 6 ? 128 : 32));
    if (!(proxyRanges.has(entry) || (family !== 0 && prefixOk && extra === undefined))) {
      throw new ConfigError(
        `CUBBY_TRUST_PROXY: "${entry}" is not an address, a range (10.0.0.0/8) or loopback/linklocal/uniquelocal; ` +
          'name your reverse proxy (trusting every hop would let any client choose its address)',
      );
    }
  }
  return entries;
}

export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}
