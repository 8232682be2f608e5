import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** What an id from a proxy may look like: short, and nothing that could forge or break a log line. */
const safeRequestId = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Fastify's `genReqId`: a proxy's `x-request-id` ties our log lines to its
 * own, so it is kept when it looks like an id; anything else (too long, new
 * lines, quotes, several values) is replaced by a fresh one and never logged.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && safeRequestId.test(given) ? given : randomUUID();
}
