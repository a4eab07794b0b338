import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiTokensModule } from '../api-tokens/api-tokens.module';
import { UsersModule } from '../users/users.module';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { OidcService } from './oidc.service';
import { SignInAttemptsRepository } from './sign-in-attempts.repository';

/** Sign-in and the global guard that authenticates and authorises every HTTP route. */
@Module({
  imports: [UsersModule, ApiTokensModule],
  controllers: [AuthController],
  providers: [AuthService, OidcService, SignInAttemptsRepository, AuthGuard, { provide: APP_GUARD, useExisting: AuthGuard }],
  exports: [AuthService],
})
export class AuthModule {}
