import { AccountDto, UserDto } from './dto/user.dto';
import { AccountRow } from './user.entity';

/** Lists every field explicitly: the password hash is never read into an AccountRow in the first place. */
export function toUserDto(a: AccountRow): UserDto {
  return {
    id: a.id,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    practices: a.practices.map((p) => ({ agb: p.agb, name: p.name })),
    insurer: a.uzovi && a.insurerName ? { uzovi: a.uzovi, name: a.insurerName } : null,
  };
}

export function toAccountDto(a: AccountRow): AccountDto {
  return {
    ...toUserDto(a),
    disabled: a.disabledAt !== null,
    hasPassword: a.hasPassword,
    createdAt: new Date(a.createdAt).toISOString(),
    updatedAt: new Date(a.updatedAt).toISOString(),
  };
}
