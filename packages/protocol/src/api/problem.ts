import { Type, type Static } from '@sinclair/typebox';

/**
 * RFC 9457 problem details: every API error leaves in this shape, with the
 * stable `code` the kiosk and the dashboard turn into translated sentences.
 * Domain errors may add their own members (e.g. `retryAfter`).
 */
export const Problem = Type.Object(
  {
    type: Type.String({ description: 'urn:cubby:problem:<code>' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
export type Problem = Static<typeof Problem> & { [extension: string]: unknown };

export const problemType = (code: string) => `urn:cubby:problem:${code}`;

/**
 * The problems the HTTP layer raises on its own, before or around a route (a
 * URL that does not decode, a body that is too large, of the wrong type or
 * not JSON), by status: the server and the kiosk API answer them with these.
 */
const httpProblems: Record<number, { code: string; title: string }> = {
  400: { code: 'bad_request', title: 'Bad request' },
  403: { code: 'forbidden', title: 'Forbidden' },
  404: { code: 'not_found', title: 'Not found' },
  406: { code: 'not_acceptable', title: 'Not acceptable' },
  413: { code: 'payload_too_large', title: 'Request body is too large' },
  414: { code: 'uri_too_long', title: 'URL is too long' },
  415: { code: 'unsupported_media_type', title: 'Unsupported media type' },
  431: { code: 'headers_too_large', title: 'Request headers are too large' },
};

/** The problem for a 4xx status the HTTP layer raised (a status it has no name for is a bad request). */
export function httpProblem(status: number, detail?: string): Problem {
  const { code, title } = httpProblems[status] ?? httpProblems[400]!;
  return { type: problemType(code), title, status, code, ...(detail ? { detail } : {}) };
}
