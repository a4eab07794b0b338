import { Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { AppConfig } from '../../core/config/app-config';
import { AppError } from '../../core/errors/app-error';
import { ApiTokensService } from '../api-tokens/api-tokens.service';
import { UserDto } from '../users/dto/user.dto';
import { AccountRow } from '../users/user.entity';
import { toUserDto } from '../users/user.mapper';
import { organisationOf, scopeOf, UsersService } from '../users/users.service';
import { readBearer, readCookie, SESSION_COOKIE } from './session-cookie';
import { AttemptOutcome, SignInAttemptsRepository } from './sign-in-attempts.repository';

export interface SignedIn {
  user: UserDto;
  /** The session secret for the cookie; only its hash is stored. */
  secret: string;
}

const AMSTERDAM_TIME = new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit' });

/**
 * Sign-in, sign-out and recognising the caller of a request. Unknown user and wrong password get the same
 * answer in the same time; a username is locked out after LOGIN_MAX_FAILURES failures within
 * LOGIN_LOCKOUT_MINUTES, and an address after LOGIN_RATE_PER_MINUTE attempts in a minute. Every attempt is
 * audited, in the same transaction as the session it opens.
 */
@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly apiTokens: ApiTokensService,
    private readonly attempts: SignInAttemptsRepository,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  async login(rawUsername: string, password: string, source: string): Promise<SignedIn> {
    const username = rawUsername.trim().toLowerCase().slice(0, 200);
    const throttled = await this.attempts.recentFromSource(source);
    if (throttled.n >= this.config.LOGIN_RATE_PER_MINUTE) {
      await this.fail(username, source, 'THROTTLED');
      throw lockedOut(new Date((throttled.oldest ?? new Date()).getTime() + 60_000), 'van dit adres');
    }
    const lockedUntil = await this.lockedUntil(username);
    if (lockedUntil) {
      await this.fail(username, source, 'LOCKED');
      throw lockedOut(lockedUntil, 'voor deze gebruikersnaam');
    }
    const userId = await this.users.verifyPassword(username, password);
    if (!userId) {
      await this.fail(username, source, 'FAILURE');
      throw invalidCredentials();
    }
    return this.startSession(userId, source, 'password', username);
  }

  /** Opens a session for a user whose identity is proven (password or OpenID Connect), audited with it. */
  async startSession(userId: string, source: string, method: 'password' | 'oidc', attemptedAs: string): Promise<SignedIn> {
    return this.attempts.transaction(async (manager) => {
      const account = (await this.users.findEnabledById(userId, manager))!;
      await this.attempts.record(attemptedAs, source, 'SUCCESS', manager);
      // Housekeeping on sign-in, like expired sessions: attempts past their retention go.
      await this.attempts.deleteExpired(manager);
      const session = await this.users.openSession(
        userId,
        source,
        { maxHours: this.config.SESSION_MAX_HOURS, idleMinutes: this.config.SESSION_IDLE_MINUTES },
        manager,
      );
      const actor = actorOf(account, source, session.sessionId);
      await this.audit.record(actor, { action: 'auth.sign-in', resourceType: 'user', resourceId: userId, detail: { method } }, manager);
      return { user: toUserDto(account), secret: session.secret };
    });
  }

  /**
   * The own password change (issue 16): only in a dashboard session (an API token has no password), rate-limited
   * like sign-in (the address's attempts per minute and the username's lock-out; a wrong current password counts
   * as a failed sign-in), every reason at once as 422 AUTH.PASSWORD_CHANGE_INVALID; on success the user's other
   * sessions end and this one stays (UsersService.changeOwnPassword, audited there).
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string, source: string): Promise<void> {
    const principal = actor.principal;
    if (principal?.kind !== 'session' || !principal.userId || !principal.sessionId) {
      throw new AppError('FORBIDDEN', 'AUTH.PASSWORD_SESSION_ONLY', 'Alleen een aangemelde gebruiker kan een wachtwoord wijzigen, niet een API-token.');
    }
    const username = actor.id;
    const throttled = await this.attempts.recentFromSource(source);
    if (throttled.n >= this.config.LOGIN_RATE_PER_MINUTE) {
      await this.fail(username, source, 'THROTTLED', 'password-change');
      throw lockedOut(new Date((throttled.oldest ?? new Date()).getTime() + 60_000), 'van dit adres');
    }
    const lockedUntil = await this.lockedUntil(username);
    if (lockedUntil) {
      await this.fail(username, source, 'LOCKED', 'password-change');
      throw lockedOut(lockedUntil, 'voor deze gebruikersnaam');
    }
    const result = await this.users.changeOwnPassword(actor, principal.userId, principal.sessionId, currentPassword, newPassword);
    if (result.currentWrong) await this.fail(username, source, 'FAILURE', 'password-change');
    if (result.violations.length > 0) {
      throw new AppError('RULE_VIOLATION', 'AUTH.PASSWORD_CHANGE_INVALID', 'Het wachtwoord is niet gewijzigd; zie "errors".', result.violations);
    }
  }

  /** Ends the actor's dashboard session (an API token is revoked instead, at /api-tokens). */
  async logout(actor: Actor): Promise<void> {
    const sessionId = actor.principal?.kind === 'session' ? actor.principal.sessionId : undefined;
    if (!sessionId) return;
    await this.attempts.transaction(async (manager) => {
      await this.users.closeSession(sessionId, manager);
      await this.audit.record(actor, { action: 'auth.sign-out', resourceType: 'user', resourceId: actor.principal?.userId ?? null }, manager);
    });
  }

  /** The signed-in user; an API token answers as its organisation. */
  async me(actor: Actor): Promise<UserDto> {
    const principal = actor.principal;
    if (principal?.kind === 'session' && principal.userId) return this.users.account(principal.userId);
    return this.apiTokens.identity(principal?.tokenId ?? '');
  }

  /**
   * The actor of a request: an `Authorization: Bearer` API token, else the session cookie; null when neither
   * is valid. A bearer header that does not match is not retried as a cookie.
   */
  async authenticate(request: Request): Promise<Actor | null> {
    const source = sourceOf(request);
    const bearer = readBearer(request);
    if (bearer !== undefined) return this.apiTokens.actorFor(bearer, source);
    const secret = readCookie(request, SESSION_COOKIE);
    if (!secret) return null;
    const session = await this.users.liveSession(secret, this.config.SESSION_IDLE_MINUTES);
    return session ? actorOf(session, source, session.sessionId) : null;
  }

  private async lockedUntil(username: string): Promise<Date | null> {
    const max = this.config.LOGIN_MAX_FAILURES;
    const failures = await this.attempts.recentFailures(username, this.config.LOGIN_LOCKOUT_MINUTES, max);
    if (failures.length < max) return null;
    // Locked until the oldest of the last `max` failures leaves the window.
    const until = new Date(failures[max - 1].getTime() + this.config.LOGIN_LOCKOUT_MINUTES * 60_000);
    return until.getTime() > Date.now() ? until : null;
  }

  private async fail(
    username: string,
    source: string,
    outcome: Exclude<AttemptOutcome, 'SUCCESS'>,
    method: 'password' | 'password-change' = 'password',
  ): Promise<void> {
    const actor: Actor = { id: username.slice(0, 64) || '(leeg)', role: 'ANONYMOUS', source, scope: {} };
    await this.attempts.transaction(async (manager) => {
      await this.attempts.record(username, source, outcome, manager);
      await this.audit.record(
        actor,
        {
          action: method === 'password' ? 'auth.sign-in' : 'auth.password-change',
          resourceType: 'user',
          outcome: outcome === 'FAILURE' ? 'FAILURE' : 'DENIED',
          detail: { method, reason: outcome.toLowerCase() },
        },
        manager,
      );
    });
  }
}

/** The actor of a signed-in user: its role, its organisations as the audit names them, its data scope. */
export function actorOf(account: AccountRow, source: string, sessionId: string): Actor {
  return {
    id: account.username,
    role: account.role,
    organisation: organisationOf(account),
    source,
    scope: scopeOf(account),
    principal: { kind: 'session', userId: account.id, sessionId },
  };
}

export function sourceOf(request: Request): string {
  return request.ip ?? request.socket?.remoteAddress ?? 'unknown';
}

function invalidCredentials(): AppError {
  return new AppError('UNAUTHENTICATED', 'AUTH.INVALID_CREDENTIALS', 'Onjuiste gebruikersnaam of wachtwoord.');
}

function lockedOut(until: Date, what: string): AppError {
  const minutes = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 60_000));
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new AppError(
    'TOO_MANY_REQUESTS',
    'AUTH.LOCKED_OUT',
    `Te veel mislukte aanmeldpogingen ${what}. Probeer het opnieuw na ${AMSTERDAM_TIME.format(until)} (over ${minutes} ${minutes === 1 ? 'minuut' : 'minuten'}).`,
    [],
    { retryAt: until.toISOString(), retryAfterSeconds: seconds },
  );
}
