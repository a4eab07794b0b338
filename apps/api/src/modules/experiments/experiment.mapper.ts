import { ExperimentDto } from './dto/experiment.dto';
import { ExperimentEntity } from './experiment.entity';

export function toExperimentDto(e: ExperimentEntity): ExperimentDto {
  return {
    id: e.id,
    code: e.code,
    name: e.name,
    policyReference: e.policyReference,
    start: e.startDate,
    end: e.endDate,
    analysisDate: e.analysisDate,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
