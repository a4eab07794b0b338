import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PracticeEntity } from './practice.entity';
import { PracticesController } from './practices.controller';
import { PracticesRepository } from './practices.repository';
import { PracticesService } from './practices.service';

@Module({
  imports: [TypeOrmModule.forFeature([PracticeEntity])],
  controllers: [PracticesController],
  providers: [PracticesRepository, PracticesService],
  exports: [PracticesService],
})
export class PracticesModule {}
