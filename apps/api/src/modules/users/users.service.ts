import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { renderMessage, type Violation } from '@copd/domain';
import { Actor, DataScope, UserRole } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { newSecret, secretHash } from '../../core/auth/secrets';
import { conflict, invalidRequest, notFound, ruleViolation } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { InsurersService } from '../insurers/insurers.service';
import { PracticesService } from '../practices/practices.service';
import { AccountDto, CreateUserDto, PasswordResetDto, UpdateUserDto, UserDto, UserQuery } from './dto/user.dto';
import { PasswordHasher } from './password-hasher';
import { checkPassword, PasswordContext } from './password-policy';
import { AccountRow, SessionRow } from './user.entity';
import { toAccountDto, toUserDto } from './user.mapper';
import { failedFields } from './user-form.pipe';
import { UsersRepository } from './users.repository';

export interface DemoUser {
  username: string;
  role: UserRole;
  organisation: string | null;
  password: string;
}

/**
 * Accounts: users, the organisations they are bound to, their passwords and dashboard sessions.
 * Every change of a user's permissions is audited in the same transaction and ends the user's sessions,
 * so a narrowed role takes effect at once, not at the next sign-in.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly practices: PracticesService,
    private readonly insurers: InsurersService,
    private readonly hasher: PasswordHasher,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, query: UserQuery): Promise<Page<AccountDto>> {
    const [rows, total] = await this.users.list({ role: query.role, q: query.q }, query.limit, query.offset);
    return page(rows.map(toAccountDto), total, query);
  }

  async get(_actor: Actor, id: string): Promise<AccountDto> {
    return toAccountDto(await this.require(id));
  }

  /**
   * `shape` holds the form's shape failures (UserFormPipe): the rules below skip those fields and every failure
   * of every field is answered at once (issue 16), 400 when a field is malformed, else 422 USER.INVALID.
   */
  async create(actor: Actor, dto: CreateUserDto, shape: Violation[] = []): Promise<AccountDto> {
    const failed = failedFields(shape);
    const usable = <K extends keyof CreateUserDto>(key: K) => (failed.has(key) ? undefined : dto[key]);
    const username = usable('username');
    const rules: Violation[] = [];
    if (username !== undefined) {
      if (!USERNAME.test(username)) rules.push(userViolation('USER.USERNAME_INVALID', 'username', { value: username }));
      else if (await this.users.findAccountByUsername(username)) rules.push(userViolation('USER.USERNAME_TAKEN', 'username', { value: username }));
    }
    const role = usable('role');
    const bindings = role
      ? await this.resolveBindings(role, usable('practices'), usable('insurer'))
      : { practiceIds: [], insurerId: null, organisations: [], violations: [] };
    rules.push(...bindings.violations.filter((v) => !failed.has(v.path.split(/[.[]/)[0])));
    const password = usable('password');
    rules.push(
      ...this.passwordViolations(password, { username: username ?? '', displayName: usable('displayName'), organisations: bindings.organisations }),
    );
    if (shape.length > 0) throw invalidRequest([...shape, ...rules], 'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".');
    if (rules.length > 0) throw invalidUser(rules);
    const passwordHash = dto.password ? await this.hasher.hash(dto.password) : null;
    const id = await this.users.transaction(async (manager) => {
      const newId = await this.users.insert(
        { username: dto.username, displayName: dto.displayName, role: dto.role, insurerId: bindings.insurerId, passwordHash, disabledAt: null },
        manager,
      );
      await this.users.setPractices(newId, bindings.practiceIds, manager);
      await this.audit.record(
        actor,
        {
          action: 'user.create',
          resourceType: 'user',
          resourceId: newId,
          detail: { username: dto.username, role: dto.role, practices: dto.practices ?? [], insurer: dto.insurer ?? null, password: passwordHash !== null },
        },
        manager,
      );
      return newId;
    });
    return toAccountDto((await this.users.findAccount(id))!);
  }

  /** Role, organisations, password or disabling: each is a change of permissions, audited with before and after. */
  async update(actor: Actor, id: string, dto: UpdateUserDto, shape: Violation[] = []): Promise<AccountDto> {
    const current = await this.require(id);
    const failed = failedFields(shape);
    const given = <K extends keyof UpdateUserDto>(key: K) => (failed.has(key) ? undefined : dto[key]);
    const newRole = given('role');
    const role = newRole ?? current.role;
    const practices = given('practices') ?? (newRole && newRole !== 'PRACTICE' ? [] : current.practices.map((p) => p.agb));
    const newInsurer = given('insurer');
    const insurer = newInsurer !== undefined ? newInsurer : newRole && newRole !== 'INSURER' ? null : current.uzovi;
    const bindings = await this.resolveBindings(role, practices, insurer ?? undefined);
    const violations = [
      ...bindings.violations.filter((v) => !failed.has(v.path.split(/[.[]/)[0])),
      ...this.passwordViolations(given('password'), {
        username: current.username,
        displayName: given('displayName') ?? current.displayName,
        organisations: bindings.organisations,
      }),
    ];
    if (shape.length > 0) throw invalidRequest([...shape, ...violations], 'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".');
    if (violations.length > 0) throw invalidUser(violations);
    const passwordHash = dto.password ? await this.hasher.hash(dto.password) : undefined;
    const disabledAt = dto.disabled === undefined ? undefined : dto.disabled ? (current.disabledAt ?? new Date()) : null;
    await this.users.transaction(async (manager) => {
      await this.users.update(id, { displayName: dto.displayName, role, insurerId: bindings.insurerId, passwordHash, disabledAt }, manager);
      await this.users.setPractices(id, bindings.practiceIds, manager);
      const after = (await this.users.findAccount(id, manager))!;
      const permissionsChanged =
        permissionsOf(current) !== permissionsOf(after) || passwordHash !== undefined || (disabledAt !== undefined && disabledAt !== null);
      const sessionsEnded = permissionsChanged ? await this.users.deleteSessionsOf(id, manager) : 0;
      await this.audit.record(
        actor,
        {
          action: 'user.update',
          resourceType: 'user',
          resourceId: id,
          detail: {
            username: current.username,
            changed: Object.keys(dto).filter((k) => dto[k as keyof UpdateUserDto] !== undefined),
            before: JSON.parse(permissionsOf(current)),
            after: JSON.parse(permissionsOf(after)),
            passwordChanged: passwordHash !== undefined,
            sessionsEnded,
          },
        },
        manager,
      );
    });
    return toAccountDto((await this.users.findAccount(id))!);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const current = await this.require(id);
    if (actor.principal?.userId === id) {
      throw conflict('USER.SELF_DELETE', 'U kunt uw eigen account niet verwijderen; laat een andere beheerder dat doen.');
    }
    await this.users.transaction(async (manager) => {
      await this.users.delete(id, manager);
      await this.audit.record(
        actor,
        { action: 'user.delete', resourceType: 'user', resourceId: id, detail: { before: JSON.parse(permissionsOf(current)) } },
        manager,
      );
    });
  }

  /**
   * A new password made up by the application for a user who lost theirs: shown once in the answer (only its hash
   * is kept), every session of the user ends, audited without the password. The administrator passes it on over
   * another channel; the user then chooses their own at /account (POST /auth/password).
   */
  async resetPassword(actor: Actor, id: string): Promise<PasswordResetDto> {
    const current = await this.require(id);
    const context = { username: current.username, displayName: current.displayName, organisations: [] };
    // newSecret() is 256 random bits in base64url: 20 of its characters are 120 bits, far past the policy.
    let password = newSecret().slice(0, 20);
    while (checkPassword(password, context).length > 0) password = newSecret().slice(0, 20);
    const passwordHash = await this.hasher.hash(password);
    const sessionsEnded = await this.users.transaction(async (manager) => {
      await this.users.update(id, { passwordHash }, manager);
      const ended = await this.users.deleteSessionsOf(id, manager);
      await this.audit.record(
        actor,
        { action: 'user.password-reset', resourceType: 'user', resourceId: id, detail: { username: current.username, sessionsEnded: ended } },
        manager,
      );
      return ended;
    });
    return { password, sessionsEnded };
  }

  /**
   * The own password change of a signed-in user: every reason at once (current password wrong, the new one against
   * the policy or the same as the current one) under the form's field names; on success the user's other sessions
   * end and this one stays. Returns whether the current password was right (the caller counts wrong ones as failed
   * sign-ins) and the sessions ended.
   */
  async changeOwnPassword(
    actor: Actor,
    userId: string,
    sessionId: string,
    currentPassword: string,
    newPassword: string,
  ): Promise<{ currentWrong: boolean; violations: Violation[]; sessionsEnded: number }> {
    const account = await this.require(userId);
    const currentOk = await this.hasher.verify(await this.users.passwordHashOf(userId), currentPassword);
    const violations: Violation[] = [];
    if (!currentOk) violations.push(userViolation('AUTH.CURRENT_PASSWORD_WRONG', 'currentPassword', {}));
    const organisations = [...account.practices.flatMap((p) => [p.name, p.agb]), ...(account.uzovi ? [account.uzovi, account.insurerName ?? ''] : [])];
    violations.push(
      ...checkPassword(newPassword, { username: account.username, displayName: account.displayName, organisations }).map((v) => ({ ...v, path: 'newPassword' })),
    );
    if (currentOk && newPassword === currentPassword) violations.push(userViolation('AUTH.PASSWORD_UNCHANGED', 'newPassword', {}));
    if (violations.length > 0) return { currentWrong: !currentOk, violations, sessionsEnded: 0 };
    const passwordHash = await this.hasher.hash(newPassword);
    const sessionsEnded = await this.users.transaction(async (manager) => {
      await this.users.update(userId, { passwordHash }, manager);
      const ended = await this.users.deleteOtherSessionsOf(userId, sessionId, manager);
      await this.audit.record(
        actor,
        { action: 'auth.password-change', resourceType: 'user', resourceId: userId, detail: { otherSessionsEnded: ended } },
        manager,
      );
      return ended;
    });
    return { currentWrong: false, violations: [], sessionsEnded };
  }

  // --- for the auth module -------------------------------------------------------------------------------

  /** The user id when username and password match an enabled user with a password; null otherwise (same time). */
  async verifyPassword(username: string, password: string): Promise<string | null> {
    const found = await this.users.credentials(username);
    const ok = await this.hasher.verify(found?.passwordHash, password);
    return ok && found && !found.disabled ? found.id : null;
  }

  /** An enabled user by username (OpenID Connect maps the IdP's claim onto it). */
  async findEnabledByUsername(username: string): Promise<AccountRow | null> {
    const found = await this.users.findAccountByUsername(username);
    return found && found.disabledAt === null ? found : null;
  }

  async findEnabledById(id: string, manager?: EntityManager): Promise<AccountRow | null> {
    const found = await this.users.findAccount(id, manager);
    return found && found.disabledAt === null ? found : null;
  }

  async account(id: string): Promise<UserDto> {
    return toUserDto(await this.require(id));
  }

  /** Opens a dashboard session; returns the secret for the cookie (only its hash is stored). */
  async openSession(
    userId: string,
    source: string,
    limits: { maxHours: number; idleMinutes: number },
    manager: EntityManager,
  ): Promise<{ secret: string; sessionId: string }> {
    await this.users.deleteExpiredSessions(limits.idleMinutes, manager);
    const secret = newSecret();
    const expiresAt = new Date(Date.now() + limits.maxHours * 3_600_000);
    const sessionId = await this.users.insertSession(userId, secretHash(secret), source, expiresAt, manager);
    return { secret, sessionId };
  }

  /** The live session of a cookie secret, its last-seen time refreshed at most once a minute. */
  async liveSession(secret: string, idleMinutes: number): Promise<SessionRow | null> {
    const session = await this.users.findSession(secretHash(secret), idleMinutes);
    if (session && Date.now() - new Date(session.lastSeenAt).getTime() > 60_000) await this.users.touchSession(session.sessionId);
    return session;
  }

  async closeSession(sessionId: string, manager: EntityManager): Promise<boolean> {
    return (await this.users.deleteSession(sessionId, manager)) > 0;
  }

  // --- for the operator CLI ------------------------------------------------------------------------------

  /**
   * The demo's users, one per role: practices in each arm, the busiest insurer. Created when missing; an
   * existing one gets the given password again, so the credentials the demo prints are always the right ones.
   */
  async ensureDemoUsers(actor: Actor, passwords: Record<string, string>): Promise<DemoUser[]> {
    const bundle = await this.users.practiceOnlyIn('BUNDLE');
    const ffs = await this.users.practiceOnlyIn('FFS');
    const insurer = await this.users.busiestInsurer();
    const wanted: { username: string; displayName: string; role: UserRole; practices?: string[]; insurer?: string }[] = [
      { username: 'admin', displayName: 'Beheerder', role: 'ADMIN' },
      { username: 'evaluator', displayName: 'Evaluator NZa', role: 'EVALUATOR' },
      ...(bundle ? [{ username: 'praktijk-bundel', displayName: `Praktijk ${bundle} (bundel)`, role: 'PRACTICE' as const, practices: [bundle] }] : []),
      ...(ffs ? [{ username: 'praktijk-ffs', displayName: `Praktijk ${ffs} (per verrichting)`, role: 'PRACTICE' as const, practices: [ffs] }] : []),
      ...(insurer ? [{ username: 'verzekeraar', displayName: `Verzekeraar ${insurer}`, role: 'INSURER' as const, insurer }] : []),
    ];
    const result: DemoUser[] = [];
    for (const user of wanted) {
      const password = passwords[user.username] ?? newSecret().slice(0, 20);
      const existing = await this.users.findAccountByUsername(user.username);
      const unchanged =
        existing !== null &&
        existing.role === user.role &&
        existing.disabledAt === null &&
        existing.practices.map((p) => p.agb).join(',') === (user.practices ?? []).join(',') &&
        (existing.uzovi ?? undefined) === user.insurer &&
        (await this.verifyPassword(user.username, password)) !== null;
      if (unchanged) {
        // nothing to do: same role, organisation and password as printed last time
      } else if (existing) {
        await this.update(actor, existing.id, { password, role: user.role, practices: user.practices, insurer: user.insurer ?? null, disabled: false });
      } else {
        await this.create(actor, { ...user, password });
      }
      result.push({ username: user.username, role: user.role, organisation: user.practices?.join(',') ?? user.insurer ?? null, password });
    }
    return result;
  }

  private async require(id: string): Promise<AccountRow> {
    const found = await this.users.findAccount(id);
    if (!found) throw notFound('User', id);
    return found;
  }

  /**
   * Every path that sets a password (the API's create and reset, the CLI, the demo users) comes through here: the
   * policy (password-policy.ts) with the account's own words as context. A user without a password (OpenID Connect
   * only) has nothing to check.
   */
  private passwordViolations(password: string | undefined, context: PasswordContext): Violation[] {
    return password === undefined ? [] : checkPassword(password, context);
  }

  /**
   * A PRACTICE user needs at least one AGB, an INSURER user exactly one UZOVI, other roles neither. Returns the
   * violations instead of throwing, so the caller reports them with the password's in one answer; organisations are
   * the names and codes of the bound practices or insurer (guessable words for the password policy).
   */
  private async resolveBindings(
    role: UserRole,
    agbs: string[] | undefined,
    uzovi: string | undefined,
  ): Promise<{ practiceIds: string[]; insurerId: string | null; organisations: string[]; violations: Violation[] }> {
    const violations: Violation[] = [];
    const practiceIds: string[] = [];
    const organisations: string[] = [];
    let insurerId: string | null = null;
    if (role === 'PRACTICE' && !agbs?.length) {
      violations.push(userViolation('USER.PRACTICE_REQUIRED', 'practices', {}));
    }
    if (role !== 'PRACTICE' && agbs?.length) {
      violations.push(userViolation('USER.PRACTICES_NOT_ALLOWED', 'practices', {}));
    }
    if (role === 'INSURER' && !uzovi) {
      violations.push(userViolation('USER.INSURER_REQUIRED', 'insurer', {}));
    }
    if (role !== 'INSURER' && uzovi) {
      violations.push(userViolation('USER.INSURER_NOT_ALLOWED', 'insurer', {}));
    }
    for (const [i, agb] of [...new Set(agbs ?? [])].entries()) {
      const practice = role === 'PRACTICE' ? await this.practices.findByAgb(agb) : null;
      if (practice) {
        practiceIds.push(practice.id);
        organisations.push(practice.name, practice.agb);
      } else if (role === 'PRACTICE') violations.push(userViolation('USER.UNKNOWN_PRACTICE', `practices[${i}]`, { value: agb }));
    }
    if (role === 'INSURER' && uzovi) {
      const insurer = await this.insurers.findByUzovi(uzovi);
      if (insurer) {
        insurerId = insurer.id;
        organisations.push(insurer.name, insurer.uzovi);
      } else violations.push(userViolation('USER.UNKNOWN_INSURER', 'insurer', { value: uzovi }));
    }
    return { practiceIds, insurerId, organisations, violations };
  }
}

/** Lower-case letters, digits and . _ @ -, 2-64 characters, starting with a letter or digit (sign-in lower-cases what is typed). */
const USERNAME = /^[a-z0-9][a-z0-9._@-]{1,63}$/;

function userViolation(code: string, path: string, params: Record<string, string>): Violation {
  return { code, path, message: renderMessage(code, params, path, 'nl'), params };
}

function invalidUser(violations: Violation[]) {
  return ruleViolation('USER.INVALID', 'De gebruiker is niet geldig; zie "errors".', violations);
}

/** The data scope of a user: PRACTICE its practices, INSURER its insurer, EVALUATOR and ADMIN everything. */
export function scopeOf(account: Pick<AccountRow, 'role' | 'practices' | 'insurerId'>): DataScope {
  if (account.role === 'PRACTICE') return { practiceIds: account.practices.map((p) => p.id) };
  if (account.role === 'INSURER') return { insurerIds: account.insurerId ? [account.insurerId] : [] };
  return {};
}

/** The organisation recorded in the audit log: AGB codes of a practice user, the UZOVI of an insurer user. */
export function organisationOf(account: Pick<AccountRow, 'role' | 'practices' | 'uzovi'>): string | undefined {
  if (account.role === 'PRACTICE') return account.practices.map((p) => p.agb).join(',');
  if (account.role === 'INSURER') return account.uzovi ?? undefined;
  return undefined;
}

function permissionsOf(a: AccountRow): string {
  return JSON.stringify({ role: a.role, practices: a.practices.map((p) => p.agb), insurer: a.uzovi, disabled: a.disabledAt !== null });
}
