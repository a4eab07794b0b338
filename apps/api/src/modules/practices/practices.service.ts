import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DataScope, UNRESTRICTED } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { conflict, notFound } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { OutboxService } from '../../core/outbox/outbox.service';
import { CreatePracticeDto, PracticeDto, PracticeQuery, UpdatePracticeDto } from './dto/practice.dto';
import { toPracticeDto } from './practice.mapper';
import { PracticeEntity } from './practice.entity';
import { PracticesRepository } from './practices.repository';

@Injectable()
export class PracticesService {
  constructor(
    private readonly practices: PracticesRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async list(actor: Actor, query: PracticeQuery): Promise<Page<PracticeDto>> {
    const [rows, total] = await this.practices.list(
      { region: query.region, q: query.q },
      query.limit,
      query.offset,
      actor.scope,
    );
    return page(rows.map(toPracticeDto), total, query);
  }

  /** A practice sees itself and the insurers it contracts; an insurer itself and its practices (else 404). */
  async get(actor: Actor, id: string): Promise<PracticeDto> {
    return toPracticeDto(await this.require(id, actor.scope));
  }

  /** Lookup for other modules: the practice with this AGB code, or NOT_FOUND. */
  async requireByAgb(agb: string): Promise<PracticeEntity> {
    const found = await this.practices.findByAgb(agb);
    if (!found) throw notFound('Practice', agb);
    return found;
  }

  findByAgb(agb: string): Promise<PracticeEntity | null> {
    return this.practices.findByAgb(agb);
  }

  async create(actor: Actor, dto: CreatePracticeDto): Promise<PracticeDto> {
    if (await this.practices.findByAgb(dto.agb)) {
      throw conflict('PRACTICE.AGB_TAKEN', `Er bestaat al een praktijk met AGB-code ${dto.agb}.`);
    }
    return this.dataSource.transaction(async (manager) => {
      const saved = await this.practices.save(
        this.practices.create({ agb: dto.agb, name: dto.name, region: dto.region }),
        manager,
      );
      await this.audit.record(
        actor,
        { action: 'practice.create', resourceType: 'practice', resourceId: saved.id },
        manager,
      );
      return toPracticeDto(saved);
    });
  }

  async update(actor: Actor, id: string, dto: UpdatePracticeDto): Promise<PracticeDto> {
    const current = await this.require(id);
    if (dto.agb !== undefined && dto.agb !== current.agb && (await this.practices.findByAgb(dto.agb))) {
      throw conflict('PRACTICE.AGB_TAKEN', `Er bestaat al een praktijk met AGB-code ${dto.agb}.`);
    }
    const regionChanged = dto.region !== undefined && dto.region !== current.region;
    return this.dataSource.transaction(async (manager) => {
      const saved = await this.practices.save(
        Object.assign(current, {
          agb: dto.agb ?? current.agb,
          name: dto.name ?? current.name,
          region: dto.region ?? current.region,
        }),
        manager,
      );
      // The region is a population filter the facts carry per patient: its patients are recomputed, as after any
      // correction, so a filter by region counts them where they are now.
      if (regionChanged) {
        const affected: { experiment_id: string; ids: string[] }[] = await manager.query(
          `SELECT experiment_id, array_agg(id) AS ids FROM patients WHERE practice_id = $1 GROUP BY experiment_id`,
          [id],
        );
        for (const { experiment_id, ids } of affected) await this.outbox.announce(manager, experiment_id, ids, 'practice');
      }
      await this.audit.record(
        actor,
        {
          action: 'practice.update',
          resourceType: 'practice',
          resourceId: id,
          detail: { changed: Object.keys(dto) },
        },
        manager,
      );
      return toPracticeDto(saved);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.require(id);
    if (await this.practices.isUsed(id)) {
      throw conflict(
        'PRACTICE.IN_USE',
        'Deze praktijk heeft contracten of patiënten en kan niet worden verwijderd.',
      );
    }
    await this.dataSource.transaction(async (manager) => {
      await this.practices.delete(id, manager);
      await this.audit.record(
        actor,
        { action: 'practice.delete', resourceType: 'practice', resourceId: id },
        manager,
      );
    });
  }

  private async require(id: string, scope: DataScope = UNRESTRICTED): Promise<PracticeEntity> {
    const found = await this.practices.findById(id, scope);
    if (!found) throw notFound('Practice', id);
    return found;
  }
}
