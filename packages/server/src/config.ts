import { randomBytes } from 'node:crypto';

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
  return {
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

export function generateSecret(): string {
  return randomBytes(32).toString('base64url');
}
