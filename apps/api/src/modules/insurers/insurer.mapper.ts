import { InsurerDto } from './dto/insurer.dto';
import { InsurerEntity } from './insurer.entity';

export function toInsurerDto(e: InsurerEntity): InsurerDto {
  return {
    id: e.id,
    uzovi: e.uzovi,
    name: e.name,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}
