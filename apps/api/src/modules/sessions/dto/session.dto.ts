import { ApiProperty, ApiPropertyOptional, IntersectionType, PartialType } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { SESSION_KINDS, type SessionKind } from '@copd/domain';
import { ReasonDto } from '../../../core/audit/correction-reason';
import { IsIsoDate } from '../../../core/http/is-iso-date.decorator';
import { PageQuery } from '../../../core/http/paging';
import { Reveals } from '../../../core/actor/field-visibility';

/** Shape only; the window [intake, end], "not in the future" and a contract in force are the domain's. */
export class CreateSessionDto {
  @ApiProperty({ example: '2025-02-12' })
  @IsIsoDate()
  date!: string;

  @ApiProperty({ enum: SESSION_KINDS, example: 'INDIVIDUAL' })
  @IsIn(SESSION_KINDS)
  kind!: SessionKind;
}

/** A correction (PATCH /sessions/:id): any of the session's fields, and the reason, which is required. */
export class UpdateSessionDto extends IntersectionType(PartialType(CreateSessionDto), ReasonDto) {}

export class SessionQuery extends PageQuery {
  @ApiPropertyOptional({ example: '2025-01-01', description: 'On or after (inclusive)' })
  @IsOptional()
  @IsIsoDate()
  @Reveals('sessions')
  from?: string;

  @ApiPropertyOptional({ example: '2025-12-31', description: 'On or before (inclusive)' })
  @IsOptional()
  @IsIsoDate()
  @Reveals('sessions')
  to?: string;

  @ApiPropertyOptional({ enum: SESSION_KINDS })
  @IsOptional()
  @IsIn(SESSION_KINDS)
  @Reveals('sessions')
  kind?: SessionKind;
}

export class SessionDto {
  @ApiProperty() id!: string;
  @ApiProperty() patientId!: string;
  @ApiProperty({ example: '2025-02-12' }) date!: string;
  @ApiProperty({ enum: SESSION_KINDS, example: 'INDIVIDUAL' }) kind!: SessionKind;
  @ApiProperty() createdAt!: string;
}

export class SessionBatchResultDto {
  @ApiProperty({ type: [SessionDto], description: 'Every session of the request, in request order' })
  items!: SessionDto[];
  @ApiProperty({ example: 5 }) created!: number;
  @ApiProperty({ example: 1, description: 'Sent again unchanged: already recorded, nothing changed' })
  unchanged!: number;
}
