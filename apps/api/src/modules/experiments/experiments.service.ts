import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { validateExperimentPeriod } from '@copd/domain';
import { Actor } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { Clock } from '../../core/clock';
import { OutboxService } from '../../core/outbox/outbox.service';
import { conflict, notFound, ruleViolation } from '../../core/errors/app-error';
import { Page, page, PageQuery } from '../../core/http/paging';
import { CreateExperimentDto, ExperimentDto, SetAnalysisDateDto, UpdateExperimentDto } from './dto/experiment.dto';
import { toExperimentDto } from './experiment.mapper';
import { ExperimentEntity } from './experiment.entity';
import { ExperimentsRepository } from './experiments.repository';

@Injectable()
export class ExperimentsService {
  constructor(
    private readonly experiments: ExperimentsRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {}

  async list(_actor: Actor, query: PageQuery): Promise<Page<ExperimentDto>> {
    const [rows, total] = await this.experiments.list(query.limit, query.offset);
    return page(rows.map(toExperimentDto), total, query);
  }

  async get(_actor: Actor, id: string): Promise<ExperimentDto> {
    return toExperimentDto(await this.require(id));
  }

  /**
   * The experiment with this code; when code is omitted and exactly one experiment exists, that one. The one place
   * an experiment is resolved from a request (the indicator and insight reads, the recompute, the exchange's export).
   */
  async resolve(code?: string): Promise<ExperimentEntity> {
    if (code) {
      const found = await this.experiments.findByCode(code);
      if (!found) throw notFound('Experiment', code);
      return found;
    }
    const [rows, total] = await this.experiments.list(2, 0);
    if (total === 1) return rows[0];
    if (total === 0) {
      throw ruleViolation('EXPERIMENT.AMBIGUOUS', 'Er is nog geen experiment: importeer of maak er eerst een.', [
        { code: 'EXPERIMENT.AMBIGUOUS', path: 'experiment', message: 'Er zijn 0 experimenten; importeer of maak er eerst een.' },
      ]);
    }
    throw ruleViolation('EXPERIMENT.AMBIGUOUS', 'Geef het experiment op (parameter experiment): er zijn er meerdere.', [
      { code: 'EXPERIMENT.AMBIGUOUS', path: 'experiment', message: `Er zijn ${total} experimenten; kies er één met zijn code.` },
    ]);
  }

  /** The experiment with this code or null, read with the transaction's manager when given (the exchange's import). */
  findByCode(code: string, manager?: EntityManager): Promise<ExperimentEntity | null> {
    return this.experiments.findByCode(code, manager);
  }

  async create(actor: Actor, dto: CreateExperimentDto): Promise<ExperimentDto> {
    const period = { start: dto.start, end: dto.end, analysisDate: dto.analysisDate ?? this.clock.today() };
    const violations = validateExperimentPeriod(period);
    if (violations.length > 0) throw ruleViolation('EXPERIMENT.INVALID', 'Het experiment is niet geldig.', violations);
    if (await this.experiments.findByCode(dto.code)) {
      throw conflict('EXPERIMENT.CODE_TAKEN', `Er bestaat al een experiment met code ${dto.code}.`);
    }
    return this.dataSource.transaction(async (manager) => {
      const saved = await this.experiments.save(
        this.experiments.create({
          code: dto.code,
          name: dto.name,
          policyReference: dto.policyReference ?? null,
          startDate: period.start,
          endDate: period.end,
          analysisDate: period.analysisDate,
        }),
        manager,
      );
      await this.audit.record(actor, { action: 'experiment.create', resourceType: 'experiment', resourceId: saved.id }, manager);
      return toExperimentDto(saved);
    });
  }

  async update(actor: Actor, id: string, dto: UpdateExperimentDto): Promise<ExperimentDto> {
    const current = await this.require(id);
    // The analysis date moves every figure: it changes only with a reason in the audit trail (PUT .../analysis-date).
    if (dto.analysisDate !== undefined && dto.analysisDate !== current.analysisDate) {
      throw ruleViolation('EXPERIMENT.ANALYSIS_DATE_NEEDS_REASON', 'Wijzig de peildatum met een reden.', [
        {
          code: 'EXPERIMENT.ANALYSIS_DATE_NEEDS_REASON',
          path: 'analysisDate',
          message: `Wijzig de peildatum met PUT /api/v1/experiments/${id}/analysis-date en een reden; dan wordt ook vastgelegd waarom.`,
        },
      ]);
    }
    const next = {
      ...current,
      code: dto.code ?? current.code,
      name: dto.name ?? current.name,
      policyReference: dto.policyReference ?? current.policyReference,
      startDate: dto.start ?? current.startDate,
      endDate: dto.end ?? current.endDate,
      analysisDate: dto.analysisDate ?? current.analysisDate,
    };
    const violations = validateExperimentPeriod({ start: next.startDate, end: next.endDate, analysisDate: next.analysisDate });
    if (violations.length > 0) throw ruleViolation('EXPERIMENT.INVALID', 'Het experiment is niet geldig.', violations);
    if (next.code !== current.code && (await this.experiments.findByCode(next.code))) {
      throw conflict('EXPERIMENT.CODE_TAKEN', `Er bestaat al een experiment met code ${next.code}.`);
    }
    return this.dataSource.transaction(async (manager) => {
      const analysisDateChanged = next.analysisDate !== current.analysisDate || next.endDate !== current.endDate;
      const saved = await this.experiments.save(Object.assign(current, next), manager);
      // The analysis date (and the experiment end, which bounds follow-up) moves every indicator.
      if (analysisDateChanged) await this.outbox.announce(manager, id, null, 'experiment');
      await this.audit.record(
        actor,
        { action: 'experiment.update', resourceType: 'experiment', resourceId: id, detail: { changed: Object.keys(dto) } },
        manager,
      );
      return toExperimentDto(saved);
    });
  }

  /**
   * The evaluator's change of the analysis date, with a reason (issue 12 item 4): the period rules of an update,
   * then, in one transaction, the date, the audit row (before, after, reason) and the experiment-wide recompute
   * announce. The same date again changes nothing and writes nothing.
   */
  async setAnalysisDate(actor: Actor, id: string, dto: SetAnalysisDateDto): Promise<ExperimentDto> {
    const found = await this.require(id);
    const violations = validateExperimentPeriod({ start: found.startDate, end: found.endDate, analysisDate: dto.analysisDate });
    if (violations.length > 0) throw ruleViolation('EXPERIMENT.INVALID', 'Deze peildatum past niet bij de looptijd van het experiment.', violations);
    return this.dataSource.transaction(async (manager) => {
      const current = await this.experiments.findByIdForUpdate(id, manager);
      if (!current) throw notFound('Experiment', id);
      if (current.analysisDate === dto.analysisDate) return toExperimentDto(current);
      const before = current.analysisDate;
      current.analysisDate = dto.analysisDate;
      const saved = await this.experiments.save(current, manager);
      await this.outbox.announce(manager, id, null, 'experiment');
      await this.audit.record(
        actor,
        {
          action: 'experiment.analysis-date',
          resourceType: 'experiment',
          resourceId: id,
          detail: { before, after: dto.analysisDate, reason: dto.reason },
        },
        manager,
      );
      return toExperimentDto(saved);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.require(id);
    if (await this.experiments.hasRecords(id)) {
      throw conflict('EXPERIMENT.IN_USE', 'Dit experiment heeft contracten, patiënten of momentopnamen en kan niet worden verwijderd.');
    }
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(ExperimentEntity, { id });
      await this.audit.record(actor, { action: 'experiment.delete', resourceType: 'experiment', resourceId: id }, manager);
    });
  }

  private async require(id: string): Promise<ExperimentEntity> {
    const found = await this.experiments.findById(id);
    if (!found) throw notFound('Experiment', id);
    return found;
  }
}
