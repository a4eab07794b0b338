import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Actor, DataScope, UNRESTRICTED } from '../../core/actor/actor';
import { AuditService } from '../../core/audit/audit.service';
import { conflict, notFound } from '../../core/errors/app-error';
import { Page, page } from '../../core/http/paging';
import { CreateInsurerDto, InsurerDto, InsurerQuery, UpdateInsurerDto } from './dto/insurer.dto';
import { toInsurerDto } from './insurer.mapper';
import { InsurerEntity } from './insurer.entity';
import { InsurersRepository } from './insurers.repository';

@Injectable()
export class InsurersService {
  constructor(
    private readonly insurers: InsurersRepository,
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(actor: Actor, query: InsurerQuery): Promise<Page<InsurerDto>> {
    const [rows, total] = await this.insurers.list({ q: query.q }, query.limit, query.offset, actor.scope);
    return page(rows.map(toInsurerDto), total, query);
  }

  /** A practice sees itself and the insurers it contracts; an insurer itself and its practices (else 404). */
  async get(actor: Actor, id: string): Promise<InsurerDto> {
    return toInsurerDto(await this.require(id, actor.scope));
  }

  /** Lookup for other modules: the insurer with this UZOVI code, or NOT_FOUND. */
  async requireByUzovi(uzovi: string): Promise<InsurerEntity> {
    const found = await this.insurers.findByUzovi(uzovi);
    if (!found) throw notFound('Insurer', uzovi);
    return found;
  }

  findByUzovi(uzovi: string): Promise<InsurerEntity | null> {
    return this.insurers.findByUzovi(uzovi);
  }

  async create(actor: Actor, dto: CreateInsurerDto): Promise<InsurerDto> {
    if (await this.insurers.findByUzovi(dto.uzovi)) {
      throw conflict('INSURER.UZOVI_TAKEN', `Er bestaat al een zorgverzekeraar met UZOVI-code ${dto.uzovi}.`);
    }
    return this.dataSource.transaction(async (manager) => {
      const saved = await this.insurers.save(
        this.insurers.create({ uzovi: dto.uzovi, name: dto.name }),
        manager,
      );
      await this.audit.record(
        actor,
        { action: 'insurer.create', resourceType: 'insurer', resourceId: saved.id },
        manager,
      );
      return toInsurerDto(saved);
    });
  }

  async update(actor: Actor, id: string, dto: UpdateInsurerDto): Promise<InsurerDto> {
    const current = await this.require(id);
    if (
      dto.uzovi !== undefined &&
      dto.uzovi !== current.uzovi &&
      (await this.insurers.findByUzovi(dto.uzovi))
    ) {
      throw conflict('INSURER.UZOVI_TAKEN', `Er bestaat al een zorgverzekeraar met UZOVI-code ${dto.uzovi}.`);
    }
    return this.dataSource.transaction(async (manager) => {
      const saved = await this.insurers.save(
        Object.assign(current, { uzovi: dto.uzovi ?? current.uzovi, name: dto.name ?? current.name }),
        manager,
      );
      await this.audit.record(
        actor,
        {
          action: 'insurer.update',
          resourceType: 'insurer',
          resourceId: id,
          detail: { changed: Object.keys(dto) },
        },
        manager,
      );
      return toInsurerDto(saved);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.require(id);
    if (await this.insurers.isUsed(id)) {
      throw conflict(
        'INSURER.IN_USE',
        'Deze zorgverzekeraar heeft contracten of patiënten en kan niet worden verwijderd.',
      );
    }
    await this.dataSource.transaction(async (manager) => {
      await this.insurers.delete(id, manager);
      await this.audit.record(
        actor,
        { action: 'insurer.delete', resourceType: 'insurer', resourceId: id },
        manager,
      );
    });
  }

  private async require(id: string, scope: DataScope = UNRESTRICTED): Promise<InsurerEntity> {
    const found = await this.insurers.findById(id, scope);
    if (!found) throw notFound('Insurer', id);
    return found;
  }
}
