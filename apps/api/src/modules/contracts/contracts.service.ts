import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { validateContract, validateContractRemoval, type ContractTerms } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { notFound, ruleViolation } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { OutboxService } from '../../core/outbox/outbox.service';
import { ExperimentsService } from '../experiments/experiments.service';
import { InsurersService } from '../insurers/insurers.service';
import { ArmChange, armChangesDetail, PatientArmsService } from '../patients/patient-arms.service';
import { PracticesService } from '../practices/practices.service';
import { ContractDto, ContractQuery, CreateContractDto, UpdateContractDto } from './dto/contract.dto';
import { ContractEntity, ContractRow } from './contract.entity';
import { toContractDto, toContractTerms } from './contract.mapper';
import { ContractPair, ContractsRepository } from './contracts.repository';

@Injectable()
export class ContractsService {
  constructor(
    private readonly contracts: ContractsRepository,
    private readonly experiments: ExperimentsService,
    private readonly practices: PracticesService,
    private readonly insurers: InsurersService,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly arms: PatientArmsService,
  ) {}

  async list(actor: Actor, query: ContractQuery): Promise<Page<ContractDto>> {
    // Filters by code are questions, not references: an unknown code simply matches nothing.
    const [rows, total] = await this.contracts.list(
      {
        experimentCode: query.experiment,
        agb: query.practice,
        uzovi: query.insurer,
        arm: query.arm,
        inForceOn: query.inForceOn,
      },
      actor.scope,
      query.limit,
      query.offset,
    );
    return page(rows.map(toContractDto), total, query);
  }

  async get(actor: Actor, id: string): Promise<ContractDto> {
    return toContractDto(await this.require(actor, id));
  }

  async create(actor: Actor, dto: CreateContractDto): Promise<ContractDto> {
    const experiment = await this.experiments.resolve(dto.experiment);
    const practice = await this.practices.requireByAgb(dto.practice);
    const insurer = await this.insurers.requireByUzovi(dto.insurer);
    const pair: ContractPair = {
      experimentId: experiment.id,
      practiceId: practice.id,
      insurerId: insurer.id,
    };
    const terms: ContractTerms = {
      practice: practice.agb,
      insurer: insurer.uzovi,
      arm: dto.arm,
      validFrom: dto.validFrom,
      validTo: dto.validTo,
      bundle: { intake: dto.bundle.intake, quarter: dto.bundle.quarter },
      ffs: { ...dto.ffs },
    };
    const id = await this.dataSource.transaction(async (manager) => {
      await this.contracts.lockPair(pair, manager);
      await this.validate(pair, terms, undefined, manager);
      const newId = await this.contracts.save(
        this.contracts.create({ ...pair, ...columnsOf(terms) }),
        manager,
      );
      // A new contract only adds coverage; an intake nobody covered before (stored before the coverage rule) gets its arm.
      const moved = await this.rederiveArms(manager, actor, pair, {
        contract: newId,
        change: 'contract.create',
      });
      await this.outbox.announce(manager, pair.experimentId, null, 'contract');
      await this.audit.record(
        actor,
        {
          action: 'contract.create',
          resourceType: 'contract',
          resourceId: newId,
          detail: { practice: practice.agb, insurer: insurer.uzovi, armChanges: armChangesDetail(moved) },
        },
        manager,
      );
      return newId;
    });
    return this.get(actor, id);
  }

  async update(actor: Actor, id: string, dto: UpdateContractDto): Promise<ContractDto> {
    await this.dataSource.transaction(async (manager) => {
      const pair = pairOf(await this.require(actor, id, manager));
      await this.contracts.lockPair(pair, manager);
      // Read again under the lock: a change committed meanwhile is the version this one corrects.
      const before = toContractTerms(await this.require(actor, id, manager));
      const next: ContractTerms = {
        ...before,
        arm: dto.arm ?? before.arm,
        validFrom: dto.validFrom ?? before.validFrom,
        validTo: dto.validTo ?? before.validTo,
        bundle: dto.bundle ? { ...dto.bundle } : before.bundle,
        ffs: dto.ffs ? { ...dto.ffs } : before.ffs,
      };
      await this.validate(pair, next, before, manager);
      await this.contracts.update(id, columnsOf(next), manager);
      // A corrected arm or period is not a renewal: the arm of every patient whose intake it covers follows it.
      const moved = await this.rederiveArms(manager, actor, pair, {
        contract: id,
        change: 'contract.update',
      });
      // Every patient of the experiment is recomputed (contract rows name no patient), the moved ones included.
      await this.outbox.announce(manager, pair.experimentId, null, 'contract');
      await this.audit.record(
        actor,
        {
          action: 'contract.update',
          resourceType: 'contract',
          resourceId: id,
          detail: {
            before: termsDetail(before),
            after: termsDetail(next),
            armChanges: armChangesDetail(moved),
          },
        },
        manager,
      );
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const pair = pairOf(await this.require(actor, id, manager));
      await this.contracts.lockPair(pair, manager);
      const removed = toContractTerms(await this.require(actor, id, manager));
      const remaining = (await this.contracts.forPair(pair, manager))
        .filter((c) => c.id !== id)
        .map(toContractTerms);
      const violations = validateContractRemoval(removed, {
        remaining,
        enrolledIntakes: await this.contracts.enrolledIntakes(pair, removed, manager),
        recordedSessions: await this.contracts.recordedSessions(pair, removed, manager),
      });
      if (violations.length > 0) {
        throw ruleViolation(
          'CONTRACT.INVALID',
          'Dit contract kan niet worden verwijderd; zie "errors".',
          violations,
        );
      }
      await this.contracts.delete(id, manager);
      // Nothing enrolled lies in the removed period (refused above), so no arm moves; derived again all the same.
      const moved = await this.rederiveArms(manager, actor, pair, {
        contract: id,
        change: 'contract.delete',
      });
      await this.outbox.announce(manager, pair.experimentId, null, 'contract');
      await this.audit.record(
        actor,
        {
          action: 'contract.delete',
          resourceType: 'contract',
          resourceId: id,
          detail: { before: termsDetail(removed), armChanges: armChangesDetail(moved) },
        },
        manager,
      );
    });
  }

  /** For other modules: the contracts of one practice x insurer in the experiment, as the domain reads them. */
  async termsFor(pair: ContractPair, manager?: EntityManager): Promise<ContractTerms[]> {
    return (await this.contracts.forPair(pair, manager)).map(toContractTerms);
  }

  /** For other modules: serialise a write that depends on the pair's contracts with contract changes. */
  lockPair(pair: ContractPair, manager: EntityManager): Promise<void> {
    return this.contracts.lockPair(pair, manager);
  }

  /** For the exchange import: lockPair for the pairs ([agb, uzovi]) and the stored patients' ([agb, ref]) pairs it writes. */
  lockPairsByCode(
    experimentId: string,
    pairs: readonly [string, string][],
    patients: readonly [string, string][],
    manager: EntityManager,
  ): Promise<void> {
    return this.contracts.lockPairsByCode(experimentId, pairs, patients, manager);
  }

  /**
   * Checks the contract as it would be after the change. `previous` is its stored version (undefined for a new one):
   * the intakes and sessions it covered must stay covered, so only those are read.
   */
  private async validate(
    pair: ContractPair,
    terms: ContractTerms,
    previous: ContractTerms | undefined,
    manager: EntityManager,
  ): Promise<void> {
    const others = (await this.contracts.forPair(pair, manager))
      .filter((c) => previous === undefined || c.id !== previous.id)
      .map(toContractTerms);
    const violations = validateContract(terms, {
      others,
      previous,
      enrolledIntakes: previous ? await this.contracts.enrolledIntakes(pair, previous, manager) : [],
      recordedSessions: previous ? await this.contracts.recordedSessions(pair, previous, manager) : [],
    });
    if (violations.length > 0)
      throw ruleViolation('CONTRACT.INVALID', 'Het contract is niet geldig; zie "errors".', violations);
  }

  /** Derives the arm of the pair's patients again from its contracts as they are now (after the write). */
  private async rederiveArms(
    manager: EntityManager,
    actor: Actor,
    pair: ContractPair,
    cause: Record<string, unknown>,
  ): Promise<ArmChange[]> {
    const contracts = (await this.contracts.forPair(pair, manager)).map(toContractTerms);
    return this.arms.rederive(manager, actor, pair.experimentId, [{ ...pair, contracts }], cause);
  }

  private async require(actor: Actor, id: string, manager?: EntityManager): Promise<ContractRow> {
    const found = await this.contracts.findById(id, actor.scope, manager);
    if (!found) throw notFound('Contract', id);
    return found;
  }
}

function pairOf(c: ContractRow): ContractPair {
  return { experimentId: c.experimentId, practiceId: c.practiceId, insurerId: c.insurerId };
}

function columnsOf(t: ContractTerms): Partial<ContractEntity> {
  return {
    arm: t.arm,
    validFrom: t.validFrom,
    validTo: t.validTo,
    bundleIntakeCents: t.bundle.intake,
    bundleQuarterCents: t.bundle.quarter,
    ffsIntakeCents: t.ffs.intake,
    ffsSessionCents: t.ffs.session,
    ffsHomeSupplementCents: t.ffs.homeSupplement,
    ffsGroupSessionCents: t.ffs.groupSession,
  };
}

/** What the audit keeps of a contract change: period, arm and tariffs (no patient data). */
function termsDetail(t: ContractTerms): Record<string, unknown> {
  return { arm: t.arm, validFrom: t.validFrom, validTo: t.validTo, bundle: t.bundle, ffs: t.ffs };
}
