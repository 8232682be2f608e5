import type { DomainErrorCode } from '@cubby/core';
import type {
  ActionResult,
  CompartmentReading,
  Credential,
  KioskAction,
  KioskProblem as ProblemBody,
  KioskSettings,
  KioskSignIn,
  KioskUpdate,
  NearbyStation,
  SignInRefusal,
  StationInfo,
  StationStatus,
  TransactionView,
} from '@cubby/protocol';
import { en } from '../i18n/en.js';

/**
 * The station agent's local kiosk API (packages/station/src/kiosk-api.ts).
 * Paths are relative: the page and the API always come from the same agent.
 */

/** Codes the station agent adds to the server's (see station's request-error.ts), and this page's own. */
export type StationProblemCode = 'offline' | 'timeout' | 'bad_response' | 'internal';
export type ProblemCode = DomainErrorCode | StationProblemCode | 'unreachable';

/** An RFC 9457 problem from the agent, or the page's own "the agent did not answer". */
export class KioskProblem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  /** Stations at the same campus that have a loaner (with `no_loaner_available`). */
  readonly nearby: NearbyStation[];
  /** A refused PIN sign-in's tries left and lockout (protocol's SignInRefusal). */
  readonly refusal: SignInRefusal;
  /** The locker a technician's refusal is about (`door_in_use`, `door_out_of_service`…), to name it. */
  readonly compartment: number | undefined;

  constructor(
    code: string,
    status: number,
    detail?: string,
    nearby: NearbyStation[] = [],
    refusal: SignInRefusal = {},
    compartment?: number,
  ) {
    super(detail ?? code);
    this.name = 'KioskProblem';
    this.code = isKnownCode(code) ? code : 'internal';
    this.status = status;
    this.nearby = nearby;
    this.refusal = refusal;
    this.compartment = compartment;
  }
}

/** What `GET /api/station` answers; the kiosk fills in its own defaults for the settings. */
export type StationView = StationInfo;
/** What sign-in answers (the server's `SignedIn` less the session token the agent keeps). */
export type SignInView = KioskSignIn;

export type {
  ActionResult,
  CompartmentReading,
  Credential,
  KioskAction,
  KioskSettings,
  KioskUpdate,
  NearbyStation,
  StationStatus,
  TransactionView,
};

export const kioskApi = {
  station: () => call<StationView>('GET', 'api/station'),
  signIn: (credential: Credential) => call<SignInView>('POST', 'api/session', credential),
  signOut: () => call<void>('DELETE', 'api/session'),
  act: (action: KioskAction) => call<ActionResult>('POST', 'api/actions', action),
  transaction: (id: string) => call<TransactionView>('GET', `api/transactions/${encodeURIComponent(id)}`),
};

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      // The agent answers within its own 10 s server timeout; past this it is not there.
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    throw new KioskProblem('unreachable', 0);
  }
  if (response.status === 204) return undefined as T;
  const json: unknown = await response.json().catch(() => undefined);
  if (response.ok) return json as T;
  // Read defensively: a proxy or a crashed agent may answer with anything.
  const problem = (json ?? {}) as { [K in keyof ProblemBody]?: unknown } & { compartment?: unknown };
  throw new KioskProblem(
    typeof problem.code === 'string' ? problem.code : 'internal',
    response.status,
    typeof problem.detail === 'string' ? problem.detail : undefined,
    nearbyOf(problem.nearby),
    refusalOf(problem),
    typeof problem.compartment === 'number' && Number.isInteger(problem.compartment) && problem.compartment > 0
      ? problem.compartment
      : undefined,
  );
}

function refusalOf(problem: { triesLeft?: unknown; retryAfter?: unknown }): SignInRefusal {
  const count = (value: unknown, min: number) =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value < 1e7 ? value : undefined;
  const triesLeft = count(problem.triesLeft, 0);
  const retryAfter = count(problem.retryAfter, 1);
  return { ...(triesLeft !== undefined ? { triesLeft } : {}), ...(retryAfter !== undefined ? { retryAfter } : {}) };
}

function nearbyOf(value: unknown): NearbyStation[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((n: { stationName?: unknown; available?: unknown }) =>
    typeof n?.stationName === 'string' && typeof n.available === 'number' && n.available > 0
      ? [{ stationName: n.stationName, available: n.available }]
      : [],
  );
}

/** A code the kiosk has words for; anything else is shown as "something went wrong". */
function isKnownCode(code: string): code is ProblemCode {
  return Object.hasOwn(en.errors, code);
}

/** Any failure as a problem the screen can explain. */
export function asProblem(error: unknown): KioskProblem {
  return error instanceof KioskProblem ? error : new KioskProblem('internal', 0, String(error));
}
