import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsIn, IsInt, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import { ARMS, type Arm } from '@copd/domain';
import { IsIsoDate } from '../../../core/http/is-iso-date.decorator';
import { PageQuery } from '../../../core/http/paging';

/** Tariffs are integer euro cents; that they are 0..MAX_TARIFF_CENTS (EUR 25,000) is a domain rule (CONTRACT.TARIFF_INVALID). */
export class BundleTariffsDto {
  @ApiProperty({ example: 9000, description: 'Bundle intake tariff, euro cents' })
  @IsInt()
  intake!: number;

  @ApiProperty({
    example: 36000,
    description: 'Bundle tariff per care quarter with at least one session, euro cents',
  })
  @IsInt()
  quarter!: number;
}

export class FfsTariffsDto {
  @ApiProperty({ example: 6000, description: 'FFS intake tariff (performance code 1864), euro cents' })
  @IsInt()
  intake!: number;

  @ApiProperty({ example: 4000, description: 'Individual or remote session, euro cents' })
  @IsInt()
  session!: number;

  @ApiProperty({ example: 2000, description: 'Supplement for a session at home, euro cents' })
  @IsInt()
  homeSupplement!: number;

  @ApiProperty({ example: 2000, description: 'Group session, euro cents' })
  @IsInt()
  groupSession!: number;
}

export class CreateContractDto {
  @ApiPropertyOptional({
    example: 'COPD-2025',
    description: 'Experiment code; may be omitted when there is exactly one',
  })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,40}$/, { message: 'experiment: een experimentcode' })
  experiment?: string;

  @ApiProperty({ example: '12345678', description: 'AGB code of the practice' })
  @Matches(/^\d{8}$/, { message: 'practice: een AGB-code van precies 8 cijfers' })
  practice!: string;

  @ApiProperty({ example: '3311', description: 'UZOVI code of the insurer' })
  @Matches(/^\d{4}$/, { message: 'insurer: een UZOVI-code van precies 4 cijfers' })
  insurer!: string;

  @ApiProperty({ enum: ARMS, example: 'BUNDLE' })
  @IsIn(ARMS)
  arm!: Arm;

  @ApiProperty({ example: '2025-01-01' })
  @IsIsoDate()
  validFrom!: string;

  @ApiProperty({ example: '2025-12-31', description: 'Inclusive' })
  @IsIsoDate()
  validTo!: string;

  @ApiProperty({ type: BundleTariffsDto })
  @IsDefined({ message: 'bundle: de tarieven ontbreken' })
  @IsObject()
  @ValidateNested()
  @Type(() => BundleTariffsDto)
  bundle!: BundleTariffsDto;

  @ApiProperty({ type: FfsTariffsDto })
  @IsDefined({ message: 'ffs: de tarieven ontbreken' })
  @IsObject()
  @ValidateNested()
  @Type(() => FfsTariffsDto)
  ffs!: FfsTariffsDto;
}

/** The parties of a contract are fixed; a contract with another practice or insurer is a new contract. */
export class UpdateContractDto extends PartialType(
  OmitType(CreateContractDto, ['experiment', 'practice', 'insurer'] as const),
) {}

export class ContractQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'COPD-2025' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9._-]{1,40}$/)
  experiment?: string;

  @ApiPropertyOptional({ example: '12345678', description: 'AGB code' })
  @IsOptional()
  @Matches(/^\d{8}$/, { message: 'practice: een AGB-code van precies 8 cijfers' })
  practice?: string;

  @ApiPropertyOptional({ example: '3311', description: 'UZOVI code' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'insurer: een UZOVI-code van precies 4 cijfers' })
  insurer?: string;

  @ApiPropertyOptional({ enum: ARMS })
  @IsOptional()
  @IsIn(ARMS)
  arm?: Arm;

  @ApiPropertyOptional({ example: '2025-06-01', description: 'Only contracts in force on this date' })
  @IsOptional()
  @IsIsoDate()
  inForceOn?: string;
}

export class ContractDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'COPD-2025' }) experiment!: string;
  @ApiProperty({ example: '12345678' }) practice!: string;
  @ApiProperty({ example: '3311' }) insurer!: string;
  @ApiProperty({ enum: ARMS, example: 'BUNDLE' }) arm!: Arm;
  @ApiProperty({ example: '2025-01-01' }) validFrom!: string;
  @ApiProperty({ example: '2025-12-31' }) validTo!: string;
  @ApiProperty({ type: BundleTariffsDto }) bundle!: BundleTariffsDto;
  @ApiProperty({ type: FfsTariffsDto }) ffs!: FfsTariffsDto;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
