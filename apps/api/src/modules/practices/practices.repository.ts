import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, EntityManager, Repository } from 'typeorm';
import { DataScope, UNRESTRICTED } from '../../core/actor/actor';
import { organisationScope } from '../../core/actor/scope';
import { escapeLike } from '../../core/database/escape-like';
import { PracticeEntity } from './practice.entity';

@Injectable()
export class PracticesRepository {
  constructor(@InjectRepository(PracticeEntity) private readonly repo: Repository<PracticeEntity>) {}

  /** Without a scope: any; with one, only the organisations it may see (else null, as for a missing one). */
  findById(id: string, scope: DataScope = UNRESTRICTED): Promise<PracticeEntity | null> {
    const qb = this.repo.createQueryBuilder('p').where('p.id = :id', { id });
    const scoped = organisationScope(scope, 'practices', 'p');
    if (scoped) qb.andWhere(scoped.sql, scoped.params);
    return qb.getOne();
  }

  findByAgb(agb: string, manager?: EntityManager): Promise<PracticeEntity | null> {
    return (manager?.getRepository(PracticeEntity) ?? this.repo).findOneBy({ agb });
  }

  list(
    filter: { region?: string; q?: string },
    limit: number,
    offset: number,
    scope: DataScope = UNRESTRICTED,
  ): Promise<[PracticeEntity[], number]> {
    const qb = this.repo.createQueryBuilder('p');
    const scoped = organisationScope(scope, 'practices', 'p');
    if (scoped) qb.andWhere(scoped.sql, scoped.params);
    if (filter.region) qb.andWhere('p.region = :region', { region: filter.region });
    if (filter.q) {
      const q = filter.q;
      qb.andWhere(
        new Brackets((w) =>
          w.where('p.name ILIKE :q', { q: `%${escapeLike(q)}%` }).orWhere('p.agb = :code', { code: q }),
        ),
      );
    }
    return qb.orderBy('p.agb', 'ASC').take(limit).skip(offset).getManyAndCount();
  }

  create(fields: Partial<PracticeEntity>): PracticeEntity {
    return this.repo.create(fields);
  }

  save(entity: PracticeEntity, manager?: EntityManager): Promise<PracticeEntity> {
    return (manager?.getRepository(PracticeEntity) ?? this.repo).save(entity);
  }

  /** Whether a contract or patient refers to the practice (then it cannot be deleted). */
  async isUsed(id: string): Promise<boolean> {
    const rows: { used: boolean }[] = await this.repo.query(
      `SELECT EXISTS (SELECT 1 FROM contracts WHERE practice_id = $1)
           OR EXISTS (SELECT 1 FROM patients WHERE practice_id = $1) AS used`,
      [id],
    );
    return rows[0].used;
  }

  async delete(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(PracticeEntity, { id });
  }
}
