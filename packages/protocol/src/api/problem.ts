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
