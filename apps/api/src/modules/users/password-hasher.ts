import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/**
 * argon2id with the library defaults (64 MiB, 3 passes, 4 lanes; above OWASP's minimum of 19 MiB, 2 passes).
 * verify() of an unknown user runs against a fixed dummy hash, so "no such user" takes as long as
 * "wrong password" and the two cannot be told apart by timing.
 */
@Injectable()
export class PasswordHasher {
  private dummy?: Promise<string>;

  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  }

  async verify(hash: string | null | undefined, password: string): Promise<boolean> {
    this.dummy ??= this.hash('no user has this password, it only costs time');
    const target = hash ?? (await this.dummy);
    const ok = await argon2.verify(target, password).catch(() => false);
    return ok && Boolean(hash);
  }
}
