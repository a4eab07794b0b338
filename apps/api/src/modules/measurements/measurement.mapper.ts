import { fromStoredMeasurementValue } from '@copd/domain';
import { MeasurementDto } from './dto/measurement.dto';
import { MeasurementEntity } from './measurement.entity';

export function toMeasurementDto(m: MeasurementEntity): MeasurementDto {
  return {
    id: m.id,
    patientId: m.patientId,
    date: m.date,
    instrument: m.instrument,
    value: fromStoredMeasurementValue(m.instrument, m.value),
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
