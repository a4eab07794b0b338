import { Module } from '@nestjs/common';
import { InsurersModule } from '../insurers/insurers.module';
import { PracticesModule } from '../practices/practices.module';
import { PasswordHasher } from './password-hasher';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [PracticesModule, InsurersModule],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, PasswordHasher],
  exports: [UsersService],
})
export class UsersModule {}
