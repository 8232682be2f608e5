import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { normaliseBadge } from '@cubby/core';
import { offlineBadgeHash } from '@cubby/protocol/offline-keys';

/**
 * Keyed hashing and signing. Badge numbers are short and guessable, so they are
 * stored only as HMACs under the server secret; station and API tokens are long
 * random strings, so a plain SHA-256 of them is enough.
 */
export class Keys {
  readonly #secret: Buffer;
  /** Derived once: an import hashes 100,000 badges with it. */
  #offlineBadgeKey: string | undefined;

  constructor(secret: string) {
    this.#secret = Buffer.from(secret, 'utf8');
  }

  badgeHash(rawBadge: string): string {
    return this.#hmac(`badge:${normaliseBadge(rawBadge)}`);
  }

  /**
   * Offline mode's keys. `offlineBadgeKey` is installation-wide and lets a
   * station turn a scanned badge into `offlineBadgeHash`; a station's own
   * `stationOfflineKey` signs its policy snapshots and keys the credential
   * hashes in them, so one station's snapshot is useless at another. Both
   * are derived from the secret, so nothing new has to be stored or rotated.
   */
  offlineBadgeKey(): string {
    return (this.#offlineBadgeKey ??= this.#hmac('offline-badge-key'));
  }

  stationOfflineKey(stationId: string): string {
    return this.#hmac(`station-offline-key:${stationId}`);
  }

  offlineBadgeHash(rawBadge: string): string {
    return offlineBadgeHash(this.offlineBadgeKey(), rawBadge);
  }

  /** Signs short-lived cookies (the single sign-on round trip). */
  cookieKey(): string {
    return this.#hmac('cookie-signing-key');
  }

  /** A kiosk session: who signed in, at which station, until when, and which sign-in it was. */
  signKioskSession(session: KioskSession): string {
    const fields = [session.personId, session.stationId, session.expiresAt, session.sessionId];
    const body = Buffer.from(JSON.stringify(fields)).toString('base64url');
    return `${body}.${this.#hmac(`kiosk:${body}`)}`;
  }

  verifyKioskSession(token: string): KioskSession | undefined {
    const [body, mac] = token.split('.');
    if (!body || !mac) return undefined;
    const expected = Buffer.from(this.#hmac(`kiosk:${body}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const [personId, stationId, expiresAt, sessionId] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [
        string,
        string,
        number,
        string | undefined,
      ];
      if (typeof sessionId !== 'string') return undefined;
      return { personId, stationId, expiresAt, sessionId };
    } catch {
      return undefined;
    }
  }

  /** Names what a throttle counts (a client address, a student number) without storing it in clear. */
  throttleKey(value: string): string {
    return this.#hmac(`throttle:${value}`);
  }

  /**
   * Seals a secret Cubby must use again later (an integration's key, which a
   * hash would not give back): AES-256-GCM under a key derived from the
   * server secret, so a copy of the database alone does not reveal it.
   */
  seal(plain: string, purpose: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#sealKey(), iv);
    cipher.setAAD(Buffer.from(purpose));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** The sealed secret, or undefined when it was sealed for another purpose, under another secret, or changed. */
  unseal(sealed: string, purpose: string): string | undefined {
    const [version, iv, tag, body] = sealed.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#sealKey(), Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(purpose));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }

  #sealKey(): Buffer {
    return createHmac('sha256', this.#secret).update('sealed-secrets-key').digest();
  }

  #hmac(value: string): string {
    return createHmac('sha256', this.#secret).update(value).digest('base64url');
  }
}

export interface KioskSession {
  personId: string;
  stationId: string;
  expiresAt: number;
  /** The station's live session must be this one (stations.kiosk_session_id): a later sign-in or a sign-out ends it. */
  sessionId: string;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new random credential with a readable prefix saying what it is for. */
export function newToken(prefix: 'cst' | 'cat'): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}
