import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { PageQuery } from '../../../core/http/paging';

export class CreateInsurerDto {
  @ApiProperty({ example: '3311', description: 'UZOVI code: exactly 4 digits' })
  @Matches(/^\d{4}$/, { message: 'uzovi: precies 4 cijfers' })
  uzovi!: string;

  @ApiProperty({ example: 'Zorgverzekeraar Noord' })
  @IsString()
  @Length(1, 200)
  name!: string;
}

export class UpdateInsurerDto extends PartialType(CreateInsurerDto) {}

export class InsurerQuery extends PageQuery {
  @ApiPropertyOptional({
    example: 'noord',
    description: 'Case-insensitive part of the name or the UZOVI code',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

export class InsurerDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '3311' }) uzovi!: string;
  @ApiProperty({ example: 'Zorgverzekeraar Noord' }) name!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}
