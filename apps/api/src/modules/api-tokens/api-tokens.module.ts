import { Module } from '@nestjs/common';
import { InsurersModule } from '../insurers/insurers.module';
import { PracticesModule } from '../practices/practices.module';
import { ApiTokensController } from './api-tokens.controller';
import { ApiTokensRepository } from './api-tokens.repository';
import { ApiTokensService } from './api-tokens.service';

@Module({
  imports: [PracticesModule, InsurersModule],
  controllers: [ApiTokensController],
  providers: [ApiTokensRepository, ApiTokensService],
  exports: [ApiTokensService],
})
export class ApiTokensModule {}
