import type { SessionRecord } from '@copd/domain';
import { SessionDto } from './dto/session.dto';
import { SessionEntity } from './session.entity';

export function toSessionDto(s: SessionEntity): SessionDto {
  return {
    id: s.id,
    patientId: s.patientId,
    date: s.date,
    kind: s.kind,
    createdAt: s.createdAt.toISOString(),
  };
}

export function toSessionRecord(s: SessionEntity): SessionRecord {
  return { date: s.date, kind: s.kind };
}
