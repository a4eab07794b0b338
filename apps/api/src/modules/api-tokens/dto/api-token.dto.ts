import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsIsoDate } from '../../../core/http/is-iso-date.decorator';
import { PageQuery } from '../../../core/http/paging';

export class CreateApiTokenDto {
  @ApiProperty({ example: 'Praktijksoftware FysioRoster', description: 'What the token is for' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ example: '12345678', description: 'AGB code: a PRACTICE token (give this or insurer)' })
  @IsOptional()
  @Matches(/^\d{8}$/, { message: 'practice: AGB-code van 8 cijfers' })
  practice?: string;

  @ApiPropertyOptional({ example: '3311', description: 'UZOVI code: an INSURER token (give this or practice)' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'insurer: UZOVI-code van 4 cijfers' })
  insurer?: string;

  @ApiPropertyOptional({ example: '2026-12-31', description: 'Last day the token works (Europe/Amsterdam); none: until revoked' })
  @IsOptional()
  @IsIsoDate()
  expiresOn?: string;
}

export class ApiTokenDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ example: 'copd_Ab3dE', description: 'The first characters, to recognise the token' }) prefix!: string;
  @ApiProperty({ enum: ['PRACTICE', 'INSURER'] }) role!: 'PRACTICE' | 'INSURER';
  @ApiProperty({ nullable: true, type: String, example: '12345678' }) practice!: string | null;
  @ApiProperty({ nullable: true, type: String, example: null }) insurer!: string | null;
  @ApiProperty({ nullable: true, type: String }) createdBy!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) lastUsedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}

export class CreatedApiTokenDto extends ApiTokenDto {
  @ApiProperty({ description: 'The secret, shown only in this response: send it as "Authorization: Bearer <token>"' })
  token!: string;
}

export class ApiTokenQuery extends PageQuery {}
