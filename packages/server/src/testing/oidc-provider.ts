import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenID Connect provider (the `oidc-provider` package, as districts'
 * own IdPs or Google/Entra speak the same protocol) on a local port, with its
 * development login screen: any account id signs in. Tests drive the browser
 * side of the dance with `ssoSignIn`.
 */
export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  close(): Promise<void>;
}

export async function startOidcProvider(options: {
  redirectUri: string;
  accounts: Record<string, { email: string; emailVerified?: boolean }>;
}): Promise<TestOidcProvider> {
  const { default: Provider } = await import('oidc-provider');
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'cubby-dashboard';
  const clientSecret = 'test-client-secret-0123456789abcdef';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    pkce: { required: () => true },
    async findAccount(_ctx, id) {
      const account = options.accounts[id];
      return {
        accountId: id,
        async claims() {
          return account ? { sub: id, email: account.email, email_verified: account.emailVerified ?? true } : { sub: id };
        },
      };
    },
  });
  // Its development-only warnings say what we know: this is a test provider.
  provider.on('server_error', () => {});
  server.on('request', provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A browser keeps idle connections open; they must not hold the test up.
        server.closeAllConnections();
      }),
  };
}

/** A tiny cookie jar per origin: enough for the redirect dance (paths ignored). */
class Jar {
  readonly #cookies = new Map<string, Map<string, string>>();

  store(url: string, res: Response): void {
    const origin = new URL(url).origin;
    const jar = this.#cookies.get(origin) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
    this.#cookies.set(origin, jar);
  }

  header(url: string): string {
    return [...(this.#cookies.get(new URL(url).origin) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.#cookies.get(new URL(url).origin)?.get(name);
  }
}

/**
 * What a browser does for "Sign in with single sign-on": start at Cubby,
 * sign in at the provider as `accountId`, consent, and come back. Returns the
 * final answer from Cubby's callback and the jar (with Cubby's session cookie).
 */
export async function ssoSignIn(cubbyUrl: string, accountId: string, tamper?: (callback: URL) => void) {
  const jar = new Jar();
  let url = `${cubbyUrl}/api/v1/auth/oidc/start`;
  for (let hop = 0; hop < 20; hop++) {
    const isCallback = url.startsWith(cubbyUrl) && url.includes('/oidc/callback');
    if (isCallback && tamper) {
      const u = new URL(url);
      tamper(u);
      url = u.href;
    }
    const res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header(url) } });
    jar.store(url, res);
    if (isCallback) return { res, jar, sessionCookie: jar.get(cubbyUrl, 'cubby_session') };
    const uid = /\/interaction\/([^/?]+)$/.exec(new URL(url).pathname)?.[1];
    if (uid && res.status === 200) {
      // The provider's own login or consent screen: submit it as the user would.
      const html = await res.text();
      const prompt = html.includes('name="login"') ? 'login' : 'consent';
      const form = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'anything' } : { prompt });
      const submitted = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        body: form,
        headers: { cookie: jar.header(url), 'content-type': 'application/x-www-form-urlencoded' },
      });
      jar.store(url, submitted);
      url = new URL(submitted.headers.get('location')!, url).href;
      continue;
    }
    const location = res.headers.get('location');
    if (!location) throw new Error(`single sign-on stopped at ${url} with ${res.status}: ${await res.text()}`);
    url = new URL(location, url).href;
  }
  throw new Error('single sign-on did not come back');
}
