import * as client from 'openid-client';
import { DomainError } from '@cubby/core';
import type { OidcConfig } from '../config.js';

/**
 * OpenID Connect single sign-on: authorization code flow with PKCE, state and
 * nonce. What must survive the round trip through the identity provider
 * (verifier, state, nonce) travels in a short-lived signed cookie, so the
 * server keeps no per-login state.
 */
export interface PendingLogin {
  verifier: string;
  state: string;
  nonce: string;
}

export class OidcClient {
  #configuration: Promise<client.Configuration> | undefined;

  constructor(private readonly config: OidcConfig) {}

  get label(): string {
    return this.config.label;
  }

  /** Discovery runs once, on first use; a failure is retried on the next sign-in. */
  #discover(): Promise<client.Configuration> {
    this.#configuration ??= client
      .discovery(new URL(this.config.issuer), this.config.clientId, this.config.clientSecret, undefined, {
        // A district's own provider on its LAN may speak plain http; openid-client refuses that unless told.
        ...(new URL(this.config.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        this.#configuration = undefined;
        throw new DomainError(
          'forbidden',
          `The single sign-on provider cannot be reached (${error instanceof Error ? error.message : String(error)})`,
        );
      });
    return this.#configuration;
  }

  async start(): Promise<{ url: string; pending: PendingLogin }> {
    const configuration = await this.#discover();
    const pending = { verifier: client.randomPKCECodeVerifier(), state: client.randomState(), nonce: client.randomNonce() };
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.config.redirectUrl,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(pending.verifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce,
    });
    return { url: url.href, pending };
  }

  /** Exchanges the code the provider sent back; throws unless state, nonce, PKCE and the ID token all check out. */
  async finish(
    callbackQuery: string,
    pending: PendingLogin,
  ): Promise<{ subject: string; email?: string; emailVerified?: boolean }> {
    const configuration = await this.#discover();
    const current = new URL(this.config.redirectUrl);
    current.search = callbackQuery;
    let tokens;
    try {
      tokens = await client.authorizationCodeGrant(configuration, current, {
        pkceCodeVerifier: pending.verifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      throw new DomainError('forbidden', `Single sign-on failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const claims = tokens.claims();
    if (!claims) throw new DomainError('forbidden', 'Single sign-on returned no ID token');
    // Many providers put only `sub` in the ID token and the email in userinfo.
    let profile: Record<string, unknown> = claims;
    if (typeof claims.email !== 'string') {
      try {
        profile = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
      } catch {
        profile = claims;
      }
    }
    return {
      subject: `${claims.iss}|${claims.sub}`,
      ...(typeof profile.email === 'string' ? { email: profile.email } : {}),
      ...(typeof profile.email_verified === 'boolean' ? { emailVerified: profile.email_verified } : {}),
    };
  }
}
