import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { EVENT_KINDS, type EventKind } from '@copd/domain';
import { ReasonDto } from '../../../core/audit/correction-reason';
import { IsIsoDate } from '../../../core/http/is-iso-date.decorator';
import { PageQuery } from '../../../core/http/paging';
import { Reveals } from '../../../core/actor/field-visibility';

/** Shape only; the window [referral, end] and "not in the future" are the domain's. */
export class CreateEventDto {
  @ApiProperty({ example: '2025-03-14' })
  @IsIsoDate()
  date!: string;

  @ApiProperty({ enum: EVENT_KINDS, example: 'EXACERBATION_MODERATE' })
  @IsIn(EVENT_KINDS)
  kind!: EventKind;
}

/** A correction (PATCH /events/:id): any of the event's fields, and the reason, which is required. */
export class UpdateEventDto extends IntersectionType(PartialType(CreateEventDto), ReasonDto) {}

export class EventQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2025-01-01', description: 'On or after (inclusive)' })
  @IsOptional()
  @IsIsoDate()
  @Reveals('events')
  from?: string;

  @ApiPropertyOptional({ example: '2025-12-31', description: 'On or before (inclusive)' })
  @IsOptional()
  @IsIsoDate()
  @Reveals('events')
  to?: string;

  @ApiPropertyOptional({ enum: EVENT_KINDS })
  @IsOptional()
  @IsIn(EVENT_KINDS)
  @Reveals('events')
  kind?: EventKind;
}

export class EventDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ example: '2025-03-14' }) date!: string;
  @ApiProperty({ enum: EVENT_KINDS, example: 'EXACERBATION_MODERATE' }) kind!: EventKind;
  @ApiProperty() createdAt!: string;
}
