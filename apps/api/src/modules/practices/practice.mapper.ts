import { PracticeDto } from './dto/practice.dto';
import { PracticeEntity } from './practice.entity';

export function toPracticeDto(e: PracticeEntity): PracticeDto {
  return {
    id: e.id,
    agb: e.agb,
    name: e.name,
    region: e.region,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
