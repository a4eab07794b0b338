import { EventDto } from './dto/event.dto';
import { EventEntity } from './event.entity';

export function toEventDto(e: EventEntity): EventDto {
  return {
    id: e.id,
    patientId: e.patientId,
    date: e.date,
    kind: e.kind,
    createdAt: e.createdAt.toISOString(),
  };
}
