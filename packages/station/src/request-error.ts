import type { ProblemBody } from '@cubby/protocol';

/**
 * Codes the station itself raises when it cannot get an answer; every other
 * code comes from the server and is one of core's `domainErrorCodes`.
 */
export const stationErrorCodes = {
  offline: { status: 503, title: 'The station cannot reach the server' },
  timeout: { status: 504, title: 'The server did not answer in time' },
  bad_response: { status: 502, title: 'The server sent an answer the station does not understand' },
  // Offline mode: what the station refuses on its own while the link is down.
  offline_pin_unavailable: { status: 503, title: 'Student number and PIN need the network; please scan your badge' },
  offline_unknown_credential: { status: 403, title: 'This badge cannot be used while the station is offline' },
  offline_limit_reached: { status: 409, title: 'This station has lent all the loaners it may while offline' },
  offline_not_possible: { status: 503, title: 'This needs the network; only borrowing and returning work offline' },
} as const;

export type StationErrorCode = keyof typeof stationErrorCodes;

/** A request the server refused, or that never got an answer. Carries the problem body as sent. */
export class StationRequestError extends Error {
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(problem: ProblemBody) {
    super(problem.detail ?? problem.title);
    this.name = 'StationRequestError';
    this.code = problem.code;
    this.title = problem.title;
    this.detail = problem.detail;
    this.data = problem.data;
  }

  static of(code: StationErrorCode, detail?: string): StationRequestError {
    return new StationRequestError({ code, title: stationErrorCodes[code].title, ...(detail ? { detail } : {}) });
  }
}

export function isStationRequestError(value: unknown): value is StationRequestError {
  return value instanceof StationRequestError;
}
