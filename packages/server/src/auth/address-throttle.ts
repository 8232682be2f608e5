import { isIPv6 } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services/deps.js';
import { countAttempt, failuresPer, giveBack, isOverLimit, throttled } from '../services/throttles.js';

/** The unauthenticated routes that check a secret, each counted apart. */
export type SignInRoute = 'login' | 'setup' | 'enroll' | 'sso';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Count this route's failed attempts per client address (CUBBY_SIGNIN_ADDRESS_*). */
    signInThrottle?: SignInRoute;
  }
  interface FastifyRequest {
    signInThrottleKey: string | null;
  }
}

/**
 * Failed sign-ins per client address, before the route's work (an argon2
 * check, a code lookup) runs: past the limit the answer is 429 with
 * Retry-After and no work is done. A success gives its attempt back, so a
 * whole school's staff behind one NAT address signing in at 8am count only
 * their typos. The address is Fastify's `request.ip`: the connection's own,
 * or with CUBBY_TRUST_PROXY the one the named proxy put in X-Forwarded-For.
 */
export function registerSignInThrottle(app: FastifyInstance, services: Services): void {
  const rule = failuresPer(services.config.signInAddressMaxFailures, services.config.signInAddressWindowSeconds);
  app.decorateRequest('signInThrottleKey', null);
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.config?.signInThrottle;
    if (!route) return;
    const now = Date.now();
    const key = `signin-${route}:${services.keys.throttleKey(clientAddress(request.ip))}`;
    const [counted] = await countAttempt(services, [{ key, rule }], now);
    if (isOverLimit(counted!))
      throw throttled(counted!, now, 'Too many failed sign-ins from this network address; try again later');
    request.signInThrottleKey = key;
  });
  app.addHook('onResponse', async (request, reply) => {
    if (request.signInThrottleKey && reply.statusCode < 400) await giveBack(services, [request.signInThrottleKey]);
  });
}

/**
 * The address a throttle counts: IPv4 as it is (also when IPv4-mapped), IPv6
 * by its /64, the block one home or one attacker gets.
 */
export function clientAddress(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!isIPv6(ip)) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
