import { Injectable } from '@nestjs/common';
import { renderMessage, type Violation } from '@copd/domain';
import { Actor, inScope } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { Clock } from '../../core/clock';
import { newSecret, secretHash } from '../../core/auth/secrets';
import { forbidden, invalidRequest, notFound } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { InsurersService } from '../insurers/insurers.service';
import { PracticesService } from '../practices/practices.service';
import { UserDto } from '../users/dto/user.dto';
import { failedFields } from '../users/user-form.pipe';
import { ApiTokenDto, ApiTokenQuery, CreateApiTokenDto, CreatedApiTokenDto } from './dto/api-token.dto';
import { toApiTokenDto } from './api-token.mapper';
import { ApiTokensRepository } from './api-tokens.repository';

const TOKEN_PREFIX = 'copd_';

/**
 * Per-organisation API tokens for practice software and insurer systems. A token acts as its organisation
 * with that organisation's scope (PRACTICE: one AGB, INSURER: one UZOVI). The secret is shown once; we keep
 * its SHA-256. ADMIN manages every token; a practice or insurer user manages its own organisation's tokens.
 */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly practices: PracticesService,
    private readonly insurers: InsurersService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor, query: ApiTokenQuery): Promise<Page<ApiTokenDto>> {
    const [rows, total] = await this.tokens.list(actor.scope, query.limit, query.offset);
    return page(rows.map(toApiTokenDto), total, query);
  }

  /** `shape`: the form's shape failures (UserFormPipe), answered together with the rules below (issue 16). */
  async create(actor: Actor, dto: CreateApiTokenDto, shape: Violation[] = []): Promise<CreatedApiTokenDto> {
    // A token cannot mint tokens: the software holding it would outlive its revocation.
    if (actor.principal?.kind === 'api-token') throw forbidden();
    const failed = failedFields(shape);
    const rules: Violation[] = [];
    if (!failed.has('practice') && !failed.has('insurer') && Boolean(dto.practice) === Boolean(dto.insurer)) {
      rules.push(tokenViolation('API_TOKEN.ORGANISATION', 'practice', {}));
    }
    // expiresOn is the last day the token works: a day before today (Europe/Amsterdam) makes a dead token.
    if (!failed.has('expiresOn') && dto.expiresOn !== undefined && dto.expiresOn < this.clock.today()) {
      rules.push(tokenViolation('API_TOKEN.EXPIRES_IN_PAST', 'expiresOn', { value: dto.expiresOn, today: this.clock.today() }));
    }
    if (shape.length > 0 || rules.length > 0) {
      throw invalidRequest([...shape, ...rules], 'Het verzoek bevat ongeldige of ontbrekende velden; zie "errors".');
    }
    const practice = dto.practice ? await this.practices.findByAgb(dto.practice) : null;
    const insurer = dto.insurer ? await this.insurers.findByUzovi(dto.insurer) : null;
    // Outside the actor's own organisations the answer is the same as for an unknown code.
    if (dto.practice && (!practice || !inScope(actor.scope, { practiceId: practice.id }) || actor.scope.insurerIds)) throw notFound('Practice', dto.practice);
    if (dto.insurer && (!insurer || !inScope(actor.scope, { insurerId: insurer.id }) || actor.scope.practiceIds)) throw notFound('Insurer', dto.insurer);
    const secret = `${TOKEN_PREFIX}${newSecret()}`;
    const id = await this.tokens.transaction(async (manager) => {
      const newId = await this.tokens.insert(
        {
          name: dto.name,
          tokenHash: secretHash(secret),
          prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
          role: practice ? 'PRACTICE' : 'INSURER',
          practiceId: practice?.id ?? null,
          insurerId: insurer?.id ?? null,
          createdBy: actor.principal?.userId ?? null,
          expiresOn: dto.expiresOn ?? null,
        },
        manager,
      );
      await this.audit.record(
        actor,
        { action: 'api-token.create', resourceType: 'api-token', resourceId: newId, detail: { name: dto.name, practice: dto.practice ?? null, insurer: dto.insurer ?? null, expiresOn: dto.expiresOn ?? null } },
        manager,
      );
      return newId;
    });
    return { ...toApiTokenDto((await this.tokens.findById(id, {}))!), token: secret };
  }

  /** Revoked at once: the next request with it answers 401. The row stays, for the audit trail. */
  async revoke(actor: Actor, id: string): Promise<void> {
    if (actor.principal?.kind === 'api-token') throw forbidden();
    await this.tokens.transaction(async (manager) => {
      const token = await this.tokens.findById(id, actor.scope, manager);
      if (!token) throw notFound('ApiToken', id);
      if (token.revokedAt) return;
      await this.tokens.revoke(id, manager);
      await this.audit.record(
        actor,
        { action: 'api-token.revoke', resourceType: 'api-token', resourceId: id, detail: { name: token.name, practice: token.agb, insurer: token.uzovi } },
        manager,
      );
    });
  }

  /** GET /auth/me for a token: the organisation it acts as, in the shape of a user. */
  async identity(tokenId: string): Promise<UserDto> {
    const token = await this.tokens.findById(tokenId, {});
    if (!token) throw notFound('ApiToken', tokenId);
    return {
      id: token.id,
      username: `api-token:${token.prefix}`,
      displayName: token.name,
      role: token.role,
      practices: token.agb ? [{ agb: token.agb, name: token.practiceName ?? token.agb }] : [],
      insurer: token.uzovi ? { uzovi: token.uzovi, name: token.insurerName ?? token.uzovi } : null,
    };
  }

  /** For the guard: the organisation actor of a bearer token, or null when it is unknown, revoked or expired. */
  async actorFor(secret: string, source: string): Promise<Actor | null> {
    if (!secret.startsWith(TOKEN_PREFIX)) return null;
    const token = await this.tokens.findUsable(secretHash(secret));
    if (!token) return null;
    if (!token.lastUsedAt || Date.now() - new Date(token.lastUsedAt).getTime() > 60_000) await this.tokens.touch(token.id);
    return {
      id: `api-token:${token.prefix}`,
      role: token.role,
      organisation: token.agb ?? token.uzovi ?? undefined,
      source,
      scope: token.role === 'PRACTICE' ? { practiceIds: [token.practiceId!] } : { insurerIds: [token.insurerId!] },
      principal: { kind: 'api-token', userId: null, tokenId: token.id },
    };
  }
}

function tokenViolation(code: string, path: string, params: Record<string, string>): Violation {
  return { code, path, message: renderMessage(code, params, path, 'nl'), params };
}
