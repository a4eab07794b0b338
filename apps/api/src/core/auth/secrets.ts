import { createHash, randomBytes } from 'node:crypto';

/** A new random bearer secret (session cookie, API token, OIDC state): 256 bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 of a bearer secret: what we store and look up, never the secret itself. */
export function secretHash(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
