import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PartialType } from '@nestjs/swagger';
import { IsIn, IsNumber, IsOptional } from 'class-validator';
import { INSTRUMENTS, type Instrument } from '@copd/domain';
import { ReasonDto } from '../../../core/audit/correction-reason';
import { IsIsoDate } from '../../../core/http/is-iso-date.decorator';
import { PageQuery } from '../../../core/http/paging';
import { Reveals } from '../../../core/actor/field-visibility';

/** Shape only; ranges, precision (CCQ at most one decimal) and the date window are the domain's. */
export class CreateMeasurementDto {
  @ApiProperty({ example: '2025-02-10' })
  @IsIsoDate()
  date!: string;

  @ApiProperty({ enum: INSTRUMENTS, example: 'CCQ' })
  @IsIn(INSTRUMENTS)
  instrument!: Instrument;

  @ApiProperty({
    example: 1.6,
    description:
      'In the unit users read: 6MWT metres (0-1200), CCQ 0-6 with at most one decimal, CAT 0-40, mMRC 0-4, steps/day 0-60000',
  })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  value!: number;

  @ApiPropertyOptional({
    example: 'Verkeerde waarde overgenomen',
    minLength: 3,
    maxLength: 500,
    description:
      'Needed only when the key (instrument + date) is stored with another value: the POST then corrects it, and a ' +
      'correction needs a reason (3-500 characters), kept in the audit log. Sent again unchanged, it is not needed.',
  })
  // Checked by correctionReason() only when the POST corrects a stored value, with its own codes.
  @IsOptional()
  reason?: string;
}

/** A correction (PATCH /measurements/:id): any of the measurement's fields, and the reason, which is required. */
export class UpdateMeasurementDto extends IntersectionType(
  PartialType(OmitType(CreateMeasurementDto, ['reason'] as const)),
  ReasonDto,
) {}

export class MeasurementQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2025-01-01', description: 'On or after (inclusive)' })
  @IsOptional()
  @IsIsoDate()
  @Reveals('measurements')
  from?: string;

  @ApiPropertyOptional({ example: '2025-12-31', description: 'On or before (inclusive)' })
  @IsOptional()
  @IsIsoDate()
  @Reveals('measurements')
  to?: string;

  @ApiPropertyOptional({ enum: INSTRUMENTS })
  @IsOptional()
  @IsIn(INSTRUMENTS)
  @Reveals('measurements')
  instrument?: Instrument;
}

export class MeasurementDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ example: '2025-02-10' }) date!: string;
  @ApiProperty({ enum: INSTRUMENTS, example: 'CCQ' }) instrument!: Instrument;
  @ApiProperty({ example: 1.6, description: 'In the unit users read (CCQ 1.6, not 16)' }) value!: number;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
