import type { Problem } from '@cubby/protocol/api';

/**
 * The dashboard's one way to call the server: same-origin JSON under /api/v1,
 * the session cookie riding along, and the CSRF token on every changing
 * request (docs/dashboard-api.md). Errors arrive as RFC 9457 problem JSON and
 * become an `ApiError` with the stable `code` the pages translate.
 */
export const apiBase = '/api/v1';

let csrfToken: string | null = null;

/** Kept from the sign-in answer and from /auth/me; sent as `x-csrf-token`. */
export function rememberCsrfToken(token: string | null): void {
  csrfToken = token;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail?: string,
    /** The problem's `reason` member, when it has one (e.g. `open_loan`). */
    readonly reason?: string,
    /** The whole problem body, for members a page reads itself (a bulk refusal's `errors`). */
    readonly problem?: Record<string, unknown>,
  ) {
    super(detail ?? title);
  }
}

export function isForbidden(error: unknown): boolean {
  return error instanceof ApiError && error.status === 403 && error.code !== 'csrf_failed';
}

const changing = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function api<T>(
  path: string,
  options: { method?: string; body?: unknown; file?: { body: Blob; type: string } } = {},
): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // A file goes as the raw body (an import upload), never read whole into a string.
  if (options.file) headers['content-type'] = options.file.type;
  if (changing.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(`${apiBase}${path}`, {
      method,
      headers,
      credentials: 'same-origin',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.file ? { body: options.file.body } : {}),
    });
  } catch {
    throw new ApiError(0, 'offline', 'The server could not be reached');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // An HTML error page from a proxy: the status says enough.
  }
  if (!response.ok) {
    const problem = (body ?? {}) as Partial<Problem> & { reason?: unknown };
    throw new ApiError(
      response.status,
      problem.code ?? `http_${response.status}`,
      problem.title ?? response.statusText,
      problem.detail,
      typeof problem.reason === 'string' ? problem.reason : undefined,
      problem as Record<string, unknown>,
    );
  }
  return body as T;
}

/** A query string from the set values only: an empty search or filter is left out, not sent empty. */
export function queryString(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
