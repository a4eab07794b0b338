import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiPage, ApiProblems } from '../../core/http/api-docs';
import { ApiTokenDto, ApiTokenQuery, CreateApiTokenDto, CreatedApiTokenDto } from './dto/api-token.dto';
import { ApiTokensService } from './api-tokens.service';

@ApiTags('api-tokens')
@ApiProblems()
@Controller('api/v1/api-tokens')
export class ApiTokensController {
  constructor(private readonly service: ApiTokensService) {}

  @Get()
  @Allow('ADMIN', 'PRACTICE', 'INSURER')
  @ApiPage(ApiTokenDto)
  list(@CurrentActor() actor: Actor, @Query() query: ApiTokenQuery) {
    return this.service.list(actor, query);
  }

  @Post()
  @Allow('ADMIN', 'PRACTICE', 'INSURER')
  @ApiCreatedResponse({ type: CreatedApiTokenDto, description: 'The token is in this response only' })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateApiTokenDto): Promise<CreatedApiTokenDto> {
    return this.service.create(actor, dto);
  }

  @Delete(':id')
  @Allow('ADMIN', 'PRACTICE', 'INSURER')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Revoked (also when it already was)' })
  revoke(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.service.revoke(actor, id);
  }
}
