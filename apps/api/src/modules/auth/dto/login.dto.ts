import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { UserDto } from '../../users/dto/user.dto';

export class LoginDto {
  @ApiProperty({ example: 'evaluator' })
  @IsString()
  @Length(1, 200)
  username!: string;

  @ApiProperty({ example: 'zie de banner van npm run demo' })
  @IsString()
  @Length(1, 200)
  password!: string;
}

export class SignedInDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
}
