import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { InsurerEntity } from './insurer.entity';
import { InsurersController } from './insurers.controller';
import { InsurersRepository } from './insurers.repository';
import { InsurersService } from './insurers.service';

@Module({
  imports: [TypeOrmModule.forFeature([InsurerEntity])],
  controllers: [InsurersController],
  providers: [InsurersRepository, InsurersService],
  exports: [InsurersService],
})
export class InsurersModule {}
