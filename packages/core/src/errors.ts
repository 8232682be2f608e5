/**
 * The closed set of things that can go wrong in a locker transaction that a
 * student, technician or station is expected to see. Each has a stable code:
 * the API maps it to RFC 9457 problem JSON, the kiosk to a friendly sentence.
 */
export const domainErrorCodes = {
  unknown_credential: { status: 401, title: 'Badge or student number not recognised' },
  wrong_pin: { status: 401, title: 'Wrong PIN' },
  locked_out: { status: 429, title: 'Too many attempts; try again later' },
  not_eligible: { status: 403, title: 'Not eligible to use this station' },
  agreement_required: { status: 403, title: 'The loaner agreement must be accepted first' },
  loan_limit_reached: { status: 409, title: 'Already has the maximum number of loaners' },
  no_loaner_available: { status: 409, title: 'No charged loaner is available at this station' },
  no_compartment_available: { status: 409, title: 'No free compartment at this station' },
  no_active_loan: { status: 409, title: 'No loaner to return' },
  nothing_to_collect: { status: 409, title: 'Nothing waiting for collection' },
  charge_expired: { status: 409, title: 'The charging time limit has passed' },
  nothing_returned: { status: 409, title: 'No device was detected in the compartment' },
  loaner_not_taken: { status: 409, title: 'The loaner was left in the compartment' },
  device_not_taken: { status: 409, title: 'The device was left in the compartment' },
  already_charging: { status: 409, title: 'A device of yours is already charging' },
  no_device_on_record: { status: 409, title: 'No device of yours is on record' },
  wrong_loaner: { status: 409, title: 'That loaner is not on loan to you' },
  compartment_fault: { status: 503, title: 'The compartment lock did not open' },
  invalid_transition: { status: 409, title: 'That change is not allowed in the current state' },
  not_found: { status: 404, title: 'Not found' },
  forbidden: { status: 403, title: 'Forbidden' },
  session_expired: { status: 401, title: 'The kiosk session has ended' },
  replayed_message: { status: 409, title: 'This message was already processed' },
  bad_request: { status: 400, title: 'Bad request' },
  // Technician mode at the kiosk.
  not_technician_here: { status: 403, title: 'Technician mode is for technicians of this campus' },
  unknown_asset_tag: { status: 404, title: 'No device has that asset tag' },
  not_a_loaner: { status: 409, title: 'That device is not a loaner' },
  device_on_loan: { status: 409, title: 'That loaner is on loan to someone' },
  device_in_compartment: { status: 409, title: 'That device is already in a compartment' },
  not_repaired: { status: 409, title: 'That device is not repaired and waiting to be placed' },
  door_in_use: { status: 409, title: 'That door is in use by another visit' },
  door_out_of_service: { status: 409, title: 'That door is out of service' },
  door_holds_pickup: { status: 409, title: 'That door holds a repaired device waiting for its owner' },
  door_contents_unknown: { status: 409, title: "The door's sensor disagrees with the records" },
  // The admin side (dashboard sign-in, settings).
  unauthenticated: { status: 401, title: 'Sign-in required' },
  bad_credentials: { status: 401, title: 'Email or password is wrong' },
  csrf_failed: { status: 403, title: "The request did not carry this session's CSRF token" },
  conflict: { status: 409, title: 'That conflicts with what is already stored' },
  // An import upload over its limit (docs/importing.md): refused before it is stored.
  too_large: { status: 413, title: 'The upload is too large' },
  unsupported_media_type: { status: 415, title: 'The upload is not of a type this accepts' },
  // Throttling (the caller may retry after the problem's retryAfter seconds): too many attempts from one
  // address, station or district, besides one account's or student number's own lockout; a full hashing queue.
  throttled: { status: 429, title: 'Too many attempts from here; try again later' },
  busy: { status: 503, title: 'The server is busy; try again in a moment' },
  // A station trading its one-time code for its token (no sign-in is involved).
  enrollment_code_invalid: { status: 401, title: 'That enrollment code is not valid or has expired' },
  // An outside service Cubby calls (Google Admin) refused or failed; the detail says what it said.
  integration_failed: { status: 502, title: 'The connected service refused the request or failed' },
} as const;

export type DomainErrorCode = keyof typeof domainErrorCodes;

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: DomainErrorCode, message?: string, details: Record<string, unknown> = {}) {
    super(message ?? domainErrorCodes[code].title);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return domainErrorCodes[this.code].status;
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}

/** For exhaustive switches: adding a state or event breaks the build here. */
export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

export function invalidTransition(entity: string, state: string, event: string): DomainError {
  return new DomainError('invalid_transition', `${entity} cannot ${event} while ${state}`, {
    entity,
    state,
    event,
  });
}

/** A state machine's answer as a value: the next state, or its refusal thrown. */
export function orThrow<S>(result: S | DomainError): S {
  if (isDomainError(result)) throw result;
  return result;
}
