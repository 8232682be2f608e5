import { domainErrorCodes } from '@cubby/core';
import type { KioskProblem } from '@cubby/protocol';
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
  if (status !== undefined && status >= 400 && status < 500) {
    const [code, title] =
      status === 404 ? ['not_found', 'Not found'] : status === 403 ? ['forbidden', 'Forbidden'] : ['bad_request', 'Bad request'];
    return problem(code, title, status, fastifyError.message);
  }
  return undefined;
}
