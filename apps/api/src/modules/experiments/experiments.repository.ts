import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { ExperimentEntity } from './experiment.entity';

@Injectable()
export class ExperimentsRepository {
  constructor(@InjectRepository(ExperimentEntity) private readonly repo: Repository<ExperimentEntity>) {}

  findById(id: string): Promise<ExperimentEntity | null> {
    return this.repo.findOneBy({ id });
  }

  /** The row locked until the transaction ends, so two changes of it cannot both read the same "before". */
  findByIdForUpdate(id: string, manager: EntityManager): Promise<ExperimentEntity | null> {
    return manager.getRepository(ExperimentEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  findByCode(code: string, manager?: EntityManager): Promise<ExperimentEntity | null> {
    return (manager?.getRepository(ExperimentEntity) ?? this.repo).findOneBy({ code });
  }

  list(limit: number, offset: number): Promise<[ExperimentEntity[], number]> {
    return this.repo.findAndCount({ order: { startDate: 'DESC', code: 'ASC' }, take: limit, skip: offset });
  }

  save(entity: ExperimentEntity, manager?: EntityManager): Promise<ExperimentEntity> {
    return (manager?.getRepository(ExperimentEntity) ?? this.repo).save(entity);
  }

  create(fields: Partial<ExperimentEntity>): ExperimentEntity {
    return this.repo.create(fields);
  }

  /** Whether anything hangs off the experiment (then it cannot be deleted). */
  async hasRecords(id: string): Promise<boolean> {
    const rows: { used: boolean }[] = await this.repo.query(
      `SELECT EXISTS (SELECT 1 FROM contracts WHERE experiment_id = $1)
           OR EXISTS (SELECT 1 FROM patients WHERE experiment_id = $1)
           OR EXISTS (SELECT 1 FROM snapshots WHERE experiment_id = $1) AS used`,
      [id],
    );
    return rows[0].used;
  }

  async delete(id: string): Promise<void> {
    await this.repo.delete({ id });
  }
}
