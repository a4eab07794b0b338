import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { USER_ROLES, type UserRole } from '../../../core/actor/actor';
import { MayBeOmitted } from '../../../core/http/may-be-omitted.decorator';
import { PageQuery } from '../../../core/http/paging';

const lower = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class UserPracticeDto {
  @ApiProperty({ example: '12345678' }) agb!: string;
  @ApiProperty({ example: 'Fysio De Brug' }) name!: string;
}

export class UserInsurerDto {
  @ApiProperty({ example: '3311' }) uzovi!: string;
  @ApiProperty({ example: 'Zorgverzekeraar Noord' }) name!: string;
}

/** The signed-in user as the dashboard sees it (GET /auth/me, POST /auth/login). */
export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: 'praktijk-bundel' }) username!: string;
  @ApiProperty({ example: 'Fysio De Brug' }) displayName!: string;
  @ApiProperty({ enum: USER_ROLES, example: 'PRACTICE' }) role!: UserRole;
  @ApiProperty({ type: [UserPracticeDto], description: 'The AGB codes of a PRACTICE user; empty for other roles' })
  practices!: UserPracticeDto[];
  @ApiProperty({ type: UserInsurerDto, nullable: true, description: 'The UZOVI of an INSURER user; null for other roles' })
  insurer!: UserInsurerDto | null;
}

/** A user as the administrator manages it. */
export class AccountDto extends UserDto {
  @ApiProperty({ description: 'Disabled users cannot sign in; their sessions were ended' }) disabled!: boolean;
  @ApiProperty({ description: 'Whether a password is set (else OpenID Connect only)' }) hasPassword!: boolean;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
}

export class CreateUserDto {
  @ApiProperty({ example: 'j.jansen', description: 'Lower case letters, digits and . _ @ -; 2-64 characters; never changes' })
  @Transform(lower)
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9._@-]{1,63}$/, { message: 'username: 2-64 tekens: kleine letters, cijfers en . _ @ -' })
  username!: string;

  @ApiProperty({ example: 'Jan Jansen' })
  @IsString()
  @Length(1, 200)
  displayName!: string;

  @ApiProperty({ enum: USER_ROLES })
  @IsIn(USER_ROLES)
  role!: UserRole;

  @ApiPropertyOptional({ type: [String], example: ['12345678'], description: 'AGB codes (PRACTICE only, at least one)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^\d{8}$/, { each: true, message: 'practices: AGB-codes van 8 cijfers' })
  practices?: string[];

  @ApiPropertyOptional({ example: '3311', description: 'UZOVI code (INSURER only)' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'insurer: UZOVI-code van 4 cijfers' })
  insurer?: string;

  @ApiPropertyOptional({ description: 'At least 12 characters; omit for a user who signs in through OpenID Connect only' })
  @MayBeOmitted()
  @IsString()
  @Length(12, 200, { message: 'password: kies een wachtwoord van 12 tot 200 tekens' })
  password?: string;
}

export class UpdateUserDto {
  @ApiPropertyOptional()
  @MayBeOmitted()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @ApiPropertyOptional({ enum: USER_ROLES })
  @MayBeOmitted()
  @IsIn(USER_ROLES)
  role?: UserRole;

  @ApiPropertyOptional({ type: [String] })
  @MayBeOmitted()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(/^\d{8}$/, { each: true, message: 'practices: AGB-codes van 8 cijfers' })
  practices?: string[];

  @ApiPropertyOptional({ nullable: true, type: String })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'insurer: UZOVI-code van 4 cijfers' })
  insurer?: string | null;

  @ApiPropertyOptional()
  @MayBeOmitted()
  @IsString()
  @Length(12, 200, { message: 'password: kies een wachtwoord van 12 tot 200 tekens' })
  password?: string;

  @ApiPropertyOptional({ description: 'true: disable (ends every session); false: enable again' })
  @MayBeOmitted()
  @IsBoolean()
  disabled?: boolean;
}

export class UserQuery extends PageQuery {
  @ApiPropertyOptional({ enum: USER_ROLES })
  @IsOptional()
  @IsIn(USER_ROLES)
  role?: UserRole;
}
