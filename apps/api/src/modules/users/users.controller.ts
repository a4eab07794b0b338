import { Body, Controller, Query } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { ApiProblems } from '../../core/http/api-docs';
import { CreateRoute, DeleteRoute, GetRoute, IdParam, ListRoute, UpdateRoute } from '../../core/http/crud-routes';
import { AccountDto, CreateUserDto, PasswordResetDto, UpdateUserDto, UserQuery } from './dto/user.dto';
import { CheckedForm, UserFormPipe } from './user-form.pipe';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiProblems()
@Controller('api/v1/users')
export class UsersController {
  constructor(private readonly service: UsersService) {}

  @ListRoute({ roles: ['ADMIN'], item: AccountDto })
  list(@CurrentActor() actor: Actor, @Query() query: UserQuery) {
    return this.service.list(actor, query);
  }

  @GetRoute({ roles: ['ADMIN'], type: AccountDto })
  get(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<AccountDto> {
    return this.service.get(actor, id);
  }

  @CreateRoute({ roles: ['ADMIN'], type: AccountDto })
  @ApiBody({ type: CreateUserDto, description: 'Every field error at once: malformed fields (400) with the rules of the others' })
  create(@CurrentActor() actor: Actor, @Body(new UserFormPipe(CreateUserDto)) form: CheckedForm<CreateUserDto>): Promise<AccountDto> {
    return this.service.create(actor, form.value, form.shape);
  }

  @UpdateRoute({
    roles: ['ADMIN'],
    type: AccountDto,
    description: 'A change of role, organisation, password or disabling ends the user\'s sessions',
  })
  @ApiBody({ type: UpdateUserDto })
  update(@CurrentActor() actor: Actor, @IdParam() id: string, @Body(new UserFormPipe(UpdateUserDto)) form: CheckedForm<UpdateUserDto>): Promise<AccountDto> {
    return this.service.update(actor, id, form.value, form.shape);
  }

  @CreateRoute({
    roles: ['ADMIN'],
    path: ':id/password-reset',
    type: PasswordResetDto,
    description: 'A new password made up by the application, in this answer only; every session of the user ends',
  })
  resetPassword(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<PasswordResetDto> {
    return this.service.resetPassword(actor, id);
  }

  @DeleteRoute({ roles: ['ADMIN'], description: 'Deleted, with its sessions' })
  remove(@CurrentActor() actor: Actor, @IdParam() id: string): Promise<void> {
    return this.service.remove(actor, id);
  }
}
