import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '../../../core/http/paging';

export class CreatePracticeDto {
  @ApiProperty({ example: '12345678', description: 'AGB code: exactly 8 digits (leading zeros are kept)' })
  @Matches(/^\d{8}$/, { message: 'agb: precies 8 cijfers' })
  agb!: string;

  @ApiProperty({ example: 'Fysiotherapie De Brug' })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'Utrecht' })
  @IsString()
  @Length(1, 100)
  region!: string;
}

export class UpdatePracticeDto extends PartialType(CreatePracticeDto) {}

export class PracticeQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'Utrecht', description: 'Exact region' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  region?: string;

  @ApiPropertyOptional({ example: 'brug', description: 'Case-insensitive part of the name or the AGB code' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

export class PracticeDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '01234567' }) agb!: string;
  @ApiProperty({ example: 'Fysiotherapie De Brug' }) name!: string;
  @ApiProperty({ example: 'Utrecht' }) region!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
