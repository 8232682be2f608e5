import { DomainError } from '@cubby/core';

/**
 * A Google service account key as the Cloud console downloads it (JSON). Only
 * the fields the JWT grant needs are read; the private key never leaves the
 * server (sealed at rest, never answered, never logged).
 */
export interface ServiceAccountKey {
  client_email: string;
  private_key: string;
  private_key_id?: string;
  /** Where the signed assertion is posted; Google's is https://oauth2.googleapis.com/token. */
  token_uri: string;
}

export const googleTokenUrl = 'https://oauth2.googleapis.com/token';

export function parseServiceAccountKey(text: string): ServiceAccountKey {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new DomainError('bad_request', 'The service account key is not JSON: paste the whole key file');
  }
  if (typeof json !== 'object' || json === null || json.type !== 'service_account') {
    throw new DomainError('bad_request', 'The key is not a service account key ("type" must be "service_account")');
  }
  const { client_email, private_key, private_key_id, token_uri } = json;
  if (typeof client_email !== 'string' || !client_email.includes('@')) {
    throw new DomainError('bad_request', 'The service account key has no client_email');
  }
  if (typeof private_key !== 'string' || !private_key.includes('PRIVATE KEY')) {
    throw new DomainError('bad_request', 'The service account key has no private_key');
  }
  if (token_uri !== undefined && (typeof token_uri !== 'string' || !URL.canParse(token_uri))) {
    throw new DomainError('bad_request', 'The service account key has a token_uri that is not a URL');
  }
  return {
    client_email,
    private_key,
    ...(typeof private_key_id === 'string' ? { private_key_id } : {}),
    token_uri: typeof token_uri === 'string' ? token_uri : googleTokenUrl,
  };
}
