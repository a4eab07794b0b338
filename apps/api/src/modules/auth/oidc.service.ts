import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { newSecret } from '../../core/auth/secrets';
import { AppConfig, oidcEnabled } from '../../core/config/app-config';
import { AppError } from '../../core/errors/app-error';
import { UsersService } from '../users/users.service';

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
}

/**
 * Optional OpenID Connect sign-in (authorization code flow with PKCE, state and nonce), off unless OIDC_ISSUER,
 * OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI are set. The identity provider proves who someone
 * is; the user must already exist here (matched on OIDC_USERNAME_CLAIM), and role and organisations stay ours.
 * The ID token comes straight from the token endpoint over TLS with client authentication, which OIDC Core
 * 3.1.3.7 accepts in place of a signature check; issuer, audience, expiry and nonce are still checked.
 */
@Injectable()
export class OidcService {
  private discovery?: Promise<Discovery>;

  constructor(
    private readonly config: AppConfig,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  get enabled(): boolean {
    return oidcEnabled(this.config);
  }

  /** Where to send the browser, and the value of the short-lived cookie that binds the callback to it. */
  async begin(): Promise<{ url: string; binding: string }> {
    this.requireEnabled();
    const { authorization_endpoint } = await this.discover();
    const state = newSecret();
    const nonce = newSecret();
    const verifier = newSecret();
    const url = new URL(authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.OIDC_CLIENT_ID!,
      redirect_uri: this.config.OIDC_REDIRECT_URI!,
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
    }).toString();
    return { url: url.toString(), binding: [state, nonce, verifier].join('.') };
  }

  /** The user id of a completed sign-in; every failure is audited and answers AUTH.INVALID_CREDENTIALS. */
  async complete(query: { code?: string; state?: string }, binding: string | undefined, source: string): Promise<{ userId: string; username: string }> {
    this.requireEnabled();
    const [state, nonce, verifier] = (binding ?? '').split('.');
    let username = '(oidc)';
    try {
      if (!state || !query.code || query.state !== state) throw new Error('state does not match');
      const discovery = await this.discover();
      const response = await fetch(discovery.token_endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${encodeURIComponent(this.config.OIDC_CLIENT_ID!)}:${encodeURIComponent(this.config.OIDC_CLIENT_SECRET!)}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'authorization_code', code: query.code, redirect_uri: this.config.OIDC_REDIRECT_URI!, code_verifier: verifier }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
      const claims = idTokenClaims(((await response.json()) as { id_token?: string }).id_token);
      const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
      if (claims.iss !== discovery.issuer) throw new Error('issuer does not match');
      if (!audience.includes(this.config.OIDC_CLIENT_ID)) throw new Error('audience does not match');
      if (typeof claims.exp !== 'number' || claims.exp * 1000 < Date.now()) throw new Error('id token expired');
      if (claims.nonce !== nonce) throw new Error('nonce does not match');
      const claimed = claims[this.config.OIDC_USERNAME_CLAIM];
      if (typeof claimed !== 'string') throw new Error(`claim ${this.config.OIDC_USERNAME_CLAIM} missing`);
      username = claimed.trim().toLowerCase();
      const user = await this.users.findEnabledByUsername(username);
      if (!user) throw new Error('no such user here');
      return { userId: user.id, username };
    } catch (error) {
      const actor: Actor = { id: username.slice(0, 64), role: 'ANONYMOUS', source, scope: {} };
      await this.audit.record(actor, {
        action: 'auth.sign-in',
        resourceType: 'user',
        outcome: 'FAILURE',
        detail: { method: 'oidc', reason: (error as Error).message.slice(0, 200) },
      });
      throw new AppError('UNAUTHENTICATED', 'AUTH.INVALID_CREDENTIALS', 'Aanmelden via uw organisatie is niet gelukt.');
    }
  }

  private requireEnabled(): void {
    if (!this.enabled) throw new AppError('NOT_FOUND', 'AUTH.OIDC_DISABLED', 'Aanmelden via OpenID Connect is niet ingeschakeld.');
  }

  private discover(): Promise<Discovery> {
    this.discovery ??= (async () => {
      const base = this.config.OIDC_ISSUER!.replace(/\/+$/, '');
      const response = await fetch(`${base}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new AppError('UNAVAILABLE', 'AUTH.OIDC_UNAVAILABLE', 'De identiteitsprovider is niet bereikbaar.');
      return (await response.json()) as Discovery;
    })().catch((error) => {
      this.discovery = undefined;
      throw error;
    });
    return this.discovery;
  }
}

function idTokenClaims(idToken: string | undefined): Record<string, unknown> {
  const payload = idToken?.split('.')[1];
  if (!payload) throw new Error('no id token');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
