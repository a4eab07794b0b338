import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { USER_ROLES, type UserRole } from '../../../core/actor/actor';
import { MayBeOmitted } from '../../../core/http/may-be-omitted.decorator';
import { PageQuery } from '../../../core/http/paging';

// Not lower-cased: an upper-case username is refused with the form's other errors (issue 16), not silently changed.
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

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
  @ApiProperty({
    example: 'j.jansen',
    description: 'Lower case letters, digits and . _ @ -; 2-64 characters; never changes (USER.USERNAME_INVALID otherwise, with the other errors)',
  })
  @Transform(trim)
  @IsString()
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

  @ApiPropertyOptional({
    description: 'The password policy (12-200 characters, hard to guess); omit for a user who signs in through OpenID Connect only',
  })
  @MayBeOmitted()
  @IsString()
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

  @ApiPropertyOptional({ description: 'The password policy (12-200 characters, hard to guess)' })
  @MayBeOmitted()
  @IsString()
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

  @ApiPropertyOptional({ example: 'jansen', description: 'Case-insensitive part of the username, display name, AGB or UZOVI code' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  q?: string;
}

/** Own password change (POST /auth/password): the current password proves it is the user. */
export class ChangePasswordDto {
  @ApiProperty({ description: 'The password the user signed in with' })
  @IsString()
  @Length(1, 200)
  currentPassword!: string;

  @ApiProperty({ description: 'The new password: the password policy (12-200 characters, hard to guess)' })
  @IsString()
  newPassword!: string;
}

/** A password set by an administrator for a user who lost theirs (POST /users/:id/password-reset). */
export class PasswordResetDto {
  @ApiProperty({ example: 'k7Qm-2xVb-9pLr-Tw4n', description: 'Shown once: give it to the user over another channel' })
  password!: string;

  @ApiProperty({ description: 'Sessions of the user that were ended' })
  sessionsEnded!: number;
}
