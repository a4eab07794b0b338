import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Violation } from '@copd/domain';
import { Actor, DataScope, UserRole } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { newSecret, secretHash } from '../../core/auth/secrets';
import { conflict, notFound, ruleViolation } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { InsurersService } from '../insurers/insurers.service';
import { PracticesService } from '../practices/practices.service';
import { AccountDto, CreateUserDto, UpdateUserDto, UserDto, UserQuery } from './dto/user.dto';
import { PasswordHasher } from './password-hasher';
import { checkPassword, PasswordContext } from './password-policy';
import { AccountRow, SessionRow } from './user.entity';
import { toAccountDto, toUserDto } from './user.mapper';
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
    const [rows, total] = await this.users.list({ role: query.role }, query.limit, query.offset);
    return page(rows.map(toAccountDto), total, query);
  }

  async get(_actor: Actor, id: string): Promise<AccountDto> {
    return toAccountDto(await this.require(id));
  }

  async create(actor: Actor, dto: CreateUserDto): Promise<AccountDto> {
    const bindings = await this.resolveBindings(dto.role, dto.practices, dto.insurer);
    const violations = [
      ...bindings.violations,
      ...this.passwordViolations(dto.password, { username: dto.username, displayName: dto.displayName, organisations: bindings.organisations }),
    ];
    if (violations.length > 0) throw invalidUser(violations);
    if (await this.users.findAccountByUsername(dto.username)) {
      throw conflict('USER.USERNAME_TAKEN', `Er bestaat al een gebruiker ${dto.username}.`);
    }
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
  async update(actor: Actor, id: string, dto: UpdateUserDto): Promise<AccountDto> {
    const current = await this.require(id);
    const role = dto.role ?? current.role;
    const practices = dto.practices ?? (dto.role && dto.role !== 'PRACTICE' ? [] : current.practices.map((p) => p.agb));
    const insurer = dto.insurer !== undefined ? dto.insurer : dto.role && dto.role !== 'INSURER' ? null : current.uzovi;
    const bindings = await this.resolveBindings(role, practices, insurer ?? undefined);
    const violations = [
      ...bindings.violations,
      ...this.passwordViolations(dto.password, {
        username: current.username,
        displayName: dto.displayName ?? current.displayName,
        organisations: bindings.organisations,
      }),
    ];
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
      violations.push({ code: 'USER.PRACTICE_REQUIRED', path: 'practices', message: 'Een praktijkgebruiker hoort bij minstens één AGB-code.' });
    }
    if (role !== 'PRACTICE' && agbs?.length) {
      violations.push({ code: 'USER.PRACTICES_NOT_ALLOWED', path: 'practices', message: `Alleen een praktijkgebruiker hoort bij AGB-codes, niet een ${role}.` });
    }
    if (role === 'INSURER' && !uzovi) {
      violations.push({ code: 'USER.INSURER_REQUIRED', path: 'insurer', message: 'Een verzekeraargebruiker hoort bij één UZOVI-code.' });
    }
    if (role !== 'INSURER' && uzovi) {
      violations.push({ code: 'USER.INSURER_NOT_ALLOWED', path: 'insurer', message: `Alleen een verzekeraargebruiker hoort bij een UZOVI-code, niet een ${role}.` });
    }
    for (const [i, agb] of [...new Set(agbs ?? [])].entries()) {
      const practice = role === 'PRACTICE' ? await this.practices.findByAgb(agb) : null;
      if (practice) {
        practiceIds.push(practice.id);
        organisations.push(practice.name, practice.agb);
      } else if (role === 'PRACTICE') violations.push({ code: 'USER.UNKNOWN_PRACTICE', path: `practices[${i}]`, message: `Geen praktijk met AGB-code ${agb}.` });
    }
    if (role === 'INSURER' && uzovi) {
      const insurer = await this.insurers.findByUzovi(uzovi);
      if (insurer) {
        insurerId = insurer.id;
        organisations.push(insurer.name, insurer.uzovi);
      } else violations.push({ code: 'USER.UNKNOWN_INSURER', path: 'insurer', message: `Geen verzekeraar met UZOVI-code ${uzovi}.` });
    }
    return { practiceIds, insurerId, organisations, violations };
  }
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
