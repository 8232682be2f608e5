import { domainErrorCodes, isDomainError } from '@cubby/core';
import { httpProblem, Problem, problemType } from '@cubby/protocol/api';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Every API error leaves as RFC 9457 problem JSON (protocol's `Problem`) with
 * a stable `code`, the same codes the kiosk turns into friendly sentences.
 */
export { Problem, problemType };

export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    let problem: Problem;
    if (isDomainError(error)) {
      const base = domainErrorCodes[error.code];
      problem = {
        type: problemType(error.code),
        title: base.title,
        status: base.status,
        code: error.code,
        ...(error.message !== base.title ? { detail: error.message } : {}),
        ...error.details,
      };
    } else if (error.validation) {
      problem = {
        type: problemType('bad_request'),
        title: 'Bad request',
        status: 400,
        code: 'bad_request',
        detail: `${error.validationContext ?? 'request'} ${error.message}`.trim(),
      };
    } else if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own: a body that is not JSON, too large, of a type no parser takes.
      problem = httpProblem(error.statusCode, error.message);
    } else {
      request.log.error({ err: error }, 'request failed');
      problem = { type: problemType('internal'), title: 'Internal server error', status: 500, code: 'internal' };
    }
    problem.instance = request.url;
    // A refusal that ends (a lockout, a throttle, a full queue) says when, for clients that read only headers.
    if (typeof problem.retryAfter === 'number') reply.header('retry-after', String(Math.max(1, Math.ceil(problem.retryAfter))));
    return reply.status(problem.status).type('application/problem+json').send(problem);
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .type('application/problem+json')
      .send({
        type: problemType('not_found'),
        title: 'Not found',
        status: 404,
        code: 'not_found',
        detail: `No route ${request.method} ${shortPath(request.url)}`,
        instance: shortPath(request.url),
      }),
  );
}

/** A path too long for any route is not echoed back whole. */
const shortPath = (url: string) => (url.length > 200 ? `${url.slice(0, 200)}…` : url);

/** Fastify's messages for these quote the whole URL back; ours do not. */
const frameworkDetails: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is not valid (bad percent-encoding)',
  FST_ERR_MAX_PARAM_LENGTH: 'A value in the path is longer than any route takes',
};

/**
 * Fastify's `frameworkErrors`: what fails while routing (a URL whose
 * percent-encoding does not decode, a path value over the length limit)
 * leaves as problem JSON too.
 */
export function answerFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const detail = frameworkDetails[error.code] ?? 'The request could not be routed';
  const problem = httpProblem(error.statusCode && error.statusCode < 500 ? error.statusCode : 400, detail);
  void reply.status(problem.status).type('application/problem+json').send(problem);
}

/** The schema of a problem response, for the OpenAPI document. */
export const problemSchema = Problem;

/** The problems any authenticated route may answer. */
export const errorResponses = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
/** …and a change that collides with the current state. */
export const changeResponses = { ...errorResponses, 409: Problem };
