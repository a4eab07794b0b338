import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { DataScope, UNRESTRICTED } from '../../core/actor/actor';
import { organisationScope } from '../../core/actor/scope';
import { escapeLike } from '../../core/database/escape-like';
import { InsurerEntity } from './insurer.entity';

@Injectable()
export class InsurersRepository {
  constructor(@InjectRepository(InsurerEntity) private readonly repo: Repository<InsurerEntity>) {}

  /** Without a scope: any; with one, only the organisations it may see (else null, as for a missing one). */
  findById(id: string, scope: DataScope = UNRESTRICTED): Promise<InsurerEntity | null> {
    const qb = this.repo.createQueryBuilder('i').where('i.id = :id', { id });
    const scoped = organisationScope(scope, 'insurers', 'i');
    if (scoped) qb.andWhere(scoped.sql, scoped.params);
    return qb.getOne();
  }

  findByUzovi(uzovi: string, manager?: EntityManager): Promise<InsurerEntity | null> {
    return (manager?.getRepository(InsurerEntity) ?? this.repo).findOneBy({ uzovi });
  }

  list(filter: { q?: string }, limit: number, offset: number,
    scope: DataScope = UNRESTRICTED): Promise<[InsurerEntity[], number]> {
    const qb = this.repo.createQueryBuilder('i');
    const scoped = organisationScope(scope, 'insurers', 'i');
    if (scoped) qb.andWhere(scoped.sql, scoped.params);
    if (filter.q) {
      qb.andWhere(
        new Brackets((w) =>
          w
            .where('i.name ILIKE :q', { q: `%${escapeLike(filter.q!)}%` })
            .orWhere('i.uzovi = :code', { code: filter.q }),
        ),
      );
    }
    return qb.orderBy('i.uzovi', 'ASC').take(limit).skip(offset).getManyAndCount();
  }

  create(fields: Partial<InsurerEntity>): InsurerEntity {
    return this.repo.create(fields);
  }

  save(entity: InsurerEntity, manager?: EntityManager): Promise<InsurerEntity> {
    return (manager?.getRepository(InsurerEntity) ?? this.repo).save(entity);
  }

  /** Whether a contract or patient refers to the insurer (then it cannot be deleted). */
  async isUsed(id: string): Promise<boolean> {
    const rows: { used: boolean }[] = await this.repo.query(
      `SELECT EXISTS (SELECT 1 FROM contracts WHERE insurer_id = $1)
           OR EXISTS (SELECT 1 FROM patients WHERE insurer_id = $1) AS used`,
      [id],
    );
    return rows[0].used;
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(InsurerEntity, { id });
  }
}
