import { domainErrorCodes } from '@cubby/core';
import { httpProblem, type KioskProblem } from '@cubby/protocol';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyError } from 'fastify';
import { isStationRequestError, stationErrorCodes } from './request-error.js';

/** RFC 9457 problem JSON, shaped like the server's so the kiosk reads one format. */
export type Problem = KioskProblem;

export const problemType = (code: string): string => `urn:cubby:problem:${code}`;

/** The HTTP status for a code the server or the station raised. */
export function statusOfCode(code: string): number {
  if (Object.hasOwn(domainErrorCodes, code)) return domainErrorCodes[code as keyof typeof domainErrorCodes].status;
  if (Object.hasOwn(stationErrorCodes, code)) return stationErrorCodes[code as keyof typeof stationErrorCodes].status;
  // The server failed in a way the station cannot name.
  return 502;
}

export function problem(code: string, title: string, status: number, detail?: string): Problem {
  return { type: problemType(code), title, status, code, ...(detail ? { detail } : {}) };
}

/** Maps anything a kiosk route can throw; `undefined` means "unexpected, log it and say 500". */
export function problemOf(error: unknown): Problem | undefined {
  if (isStationRequestError(error)) return problem(error.code, error.title, statusOfCode(error.code), error.detail);
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    return problem(
      'bad_request',
      'Bad request',
      400,
      `${fastifyError.validationContext ?? 'request'} ${fastifyError.message ?? ''}`.trim(),
    );
  }
  const status = fastifyError.statusCode;
  // Fastify's own: a body that is not JSON, too large, of a type no parser takes.
  if (status !== undefined && status >= 400 && status < 500) return httpProblem(status, fastifyError.message);
  return undefined;
}

/** Fastify's messages for these quote the whole URL back; ours do not. */
const routingDetails: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not valid (bad percent-encoding)',
  FST_ERR_MAX_PARAM_LENGTH: 'A value in the path is longer than any route takes',
};

/** Fastify's `frameworkErrors`: a URL that cannot be routed is answered with problem JSON too. */
export function answerRoutingError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const found = httpProblem(error.statusCode && error.statusCode < 500 ? error.statusCode : 400);
  void reply
    .status(found.status)
    .type('application/problem+json')
    .send({ ...found, detail: routingDetails[error.code] ?? 'The request could not be routed' });
}
