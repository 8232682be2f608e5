import { Type } from '@sinclair/typebox';
import { DomainError } from '@cubby/core';
import { AuthStatus, Login, Problem, Setup, StaffSignedIn } from '@cubby/protocol/api';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { OidcClient, type PendingLogin } from '../auth/oidc.js';
import { principalOf, sessionCookie } from '../auth/guard.js';
import { changeResponses, errorResponses } from '../problems.js';
import type { Services } from '../services/deps.js';
import {
  describeUser,
  isSetUp,
  setUpFirstAdmin,
  signInWithOidc,
  signInWithPassword,
  signOut,
  type StaffSession,
} from '../services/staff-auth.js';
import { typed } from './typed.js';

const oidcCookie = 'cubby_oidc';
const oidcPath = '/api/v1/auth/oidc';

/** Sign-in, sign-out, first-run setup and single sign-on for the dashboard. */
export function registerAuthRoutes(app: FastifyInstance, services: Services): void {
  const api = typed(app);
  const { config } = services;
  const oidc = config.oidc ? new OidcClient(config.oidc) : null;
  const secure = config.mode === 'production';
  const tags = ['auth'];

  const setSessionCookie = (reply: FastifyReply, session: StaffSession) =>
    reply.setCookie(sessionCookie, session.cookieValue, {
      httpOnly: true,
      secure,
      sameSite: 'lax',
      path: '/',
      expires: new Date(session.expiresAt),
    });
  const signedIn = (session: StaffSession) => ({ user: describeUser(session.user), csrfToken: session.csrfToken });

  api.get(
    '/api/v1/auth/status',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Whether first-run setup is needed and how to sign in',
        response: { 200: AuthStatus },
      },
    },
    async () => ({ setupRequired: !(await isSetUp(services)), oidc: { enabled: oidc !== null, label: oidc?.label ?? null } }),
  );

  api.post(
    '/api/v1/auth/setup',
    {
      config: { access: 'public', signInThrottle: 'setup' },
      schema: {
        tags,
        summary: 'First run: create the first district admin (only while no user exists)',
        body: Setup,
        response: { 201: StaffSignedIn, 429: Problem, 503: Problem, ...changeResponses },
      },
    },
    async (request, reply) => {
      const session = await setUpFirstAdmin(services, request.body);
      setSessionCookie(reply, session);
      return reply.status(201).send(signedIn(session));
    },
  );

  api.post(
    '/api/v1/auth/login',
    {
      config: { access: 'public', signInThrottle: 'login' },
      schema: {
        tags,
        summary: 'Sign in with email and password',
        body: Login,
        response: { 200: StaffSignedIn, 429: Problem, 503: Problem, ...errorResponses },
      },
    },
    async (request, reply) => {
      const session = await signInWithPassword(services, request.body.email, request.body.password);
      setSessionCookie(reply, session);
      return signedIn(session);
    },
  );

  api.post(
    '/api/v1/auth/logout',
    {
      config: { access: 'signed-in' },
      schema: { tags, summary: 'Sign out (ends this session)', response: { 204: Type.Null(), ...errorResponses } },
    },
    async (request, reply) => {
      if (request.session) await signOut(services, request.session.idHash, principalOf(request).id);
      reply.clearCookie(sessionCookie, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  api.get(
    '/api/v1/auth/me',
    {
      config: { access: 'signed-in' },
      schema: {
        tags,
        summary: 'The signed-in user, their permissions and the CSRF token',
        response: { 200: StaffSignedIn, ...errorResponses },
      },
    },
    async (request) => {
      if (!request.session) throw new DomainError('forbidden', 'Only a signed-in user has a profile');
      return { user: describeUser(request.session.user), csrfToken: request.session.csrfToken };
    },
  );

  api.get(
    `${oidcPath}/start`,
    { config: { access: 'public' }, schema: { tags, summary: 'Start single sign-on: redirects to the identity provider' } },
    async (_request, reply) => {
      if (!oidc) throw new DomainError('not_found', 'Single sign-on is not configured');
      const { url, pending } = await oidc.start();
      reply.setCookie(oidcCookie, JSON.stringify(pending), {
        httpOnly: true,
        secure,
        sameSite: 'lax',
        path: oidcPath,
        maxAge: 600,
        signed: true,
      });
      return reply.redirect(url, 302);
    },
  );

  api.get(
    `${oidcPath}/callback`,
    {
      config: { access: 'public', signInThrottle: 'sso' },
      schema: { tags, summary: 'Where the identity provider returns; signs in and goes to the dashboard' },
    },
    async (request, reply) => {
      if (!oidc) throw new DomainError('not_found', 'Single sign-on is not configured');
      const raw = request.cookies[oidcCookie];
      const unsigned = raw ? request.unsignCookie(raw) : null;
      if (!unsigned?.valid || !unsigned.value)
        throw new DomainError('forbidden', 'The single sign-on attempt expired or came from another browser; start again');
      const pending = JSON.parse(unsigned.value) as PendingLogin;
      reply.clearCookie(oidcCookie, { path: oidcPath });
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const claims = await oidc.finish(query, pending);
      const session = await signInWithOidc(services, claims);
      setSessionCookie(reply, session);
      return reply.redirect('/dashboard/', 302);
    },
  );
}
