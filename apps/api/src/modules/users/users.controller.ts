import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow } from '../../core/auth/route-policy';
import { ApiPage, ApiProblems } from '../../core/http/api-docs';
import { AccountDto, CreateUserDto, UpdateUserDto, UserQuery } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiProblems()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly service: UsersService) {}

  @Get()
  @Allow('ADMIN')
  @ApiPage(AccountDto)
  list(@CurrentActor() actor: Actor, @Query() query: UserQuery) {
    return this.service.list(actor, query);
  }

  @Get(':id')
  @Allow('ADMIN')
  @ApiOkResponse({ type: AccountDto })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<AccountDto> {
    return this.service.get(actor, id);
  }

  @Post()
  @Allow('ADMIN')
  @ApiCreatedResponse({ type: AccountDto })
  create(@CurrentActor() actor: Actor, @Body() dto: CreateUserDto): Promise<AccountDto> {
    return this.service.create(actor, dto);
  }

  @Patch(':id')
  @Allow('ADMIN')
  @ApiOkResponse({ type: AccountDto, description: 'A change of role, organisation, password or disabling ends the user\'s sessions' })
  update(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto): Promise<AccountDto> {
    return this.service.update(actor, id, dto);
  }

  @Delete(':id')
  @Allow('ADMIN')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted, with its sessions' })
  remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
