import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import { ApiFoundResponse, ApiNoContentResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Actor } from '../../core/actor/actor';
import { CurrentActor } from '../../core/actor/current-actor.decorator';
import { Allow, ANY_ROLE, Public } from '../../core/auth/route-policy';
import { AppConfig } from '../../core/config/app-config';
import { ApiProblems, ProblemDto } from '../../core/http/api-docs';
import { ChangePasswordDto, UserDto } from '../users/dto/user.dto';
import { AuthService, sourceOf } from './auth.service';
import { LoginDto, SignedInDto } from './dto/login.dto';
import { OidcService } from './oidc.service';
import { readCookie, SESSION_COOKIE, sessionCookieOptions } from './session-cookie';

const OIDC_COOKIE = 'copd_oidc';
const OIDC_COOKIE_PATH = '/api/v1/auth/oidc';

@ApiTags('auth')
@ApiProblems()
@Controller('api/v1/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly oidc: OidcService,
    private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: SignedInDto, description: `Signed in; sets the httpOnly, SameSite=Strict cookie ${SESSION_COOKIE}` })
  @ApiUnauthorizedResponse({ type: ProblemDto, description: 'AUTH.INVALID_CREDENTIALS (same for an unknown user and a wrong password)' })
  @ApiTooManyRequestsResponse({ type: ProblemDto, description: 'AUTH.LOCKED_OUT, with retryAt and a Retry-After header' })
  async login(@Body() dto: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<SignedInDto> {
    const signedIn = await this.auth.login(dto.username, dto.password, sourceOf(req));
    res.cookie(SESSION_COOKIE, signedIn.secret, { ...sessionCookieOptions(this.config), maxAge: this.config.SESSION_MAX_HOURS * 3_600_000 });
    return { user: signedIn.user };
  }

  @Post('logout')
  @Allow(...ANY_ROLE)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Signed out: the session is deleted on the server and the cookie cleared' })
  async logout(@CurrentActor() actor: Actor, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(actor);
    res.clearCookie(SESSION_COOKIE, sessionCookieOptions(this.config));
  }

  @Post('password')
  @Allow(...ANY_ROLE)
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Changed: the user\'s other sessions ended, this one stays' })
  @ApiTooManyRequestsResponse({ type: ProblemDto, description: 'AUTH.LOCKED_OUT: too many wrong current passwords, as at sign-in' })
  async changePassword(@CurrentActor() actor: Actor, @Body() dto: ChangePasswordDto, @Req() req: Request): Promise<void> {
    await this.auth.changePassword(actor, dto.currentPassword, dto.newPassword, sourceOf(req));
  }

  @Get('me')
  @Allow(...ANY_ROLE)
    @ApiOkResponse({ type: SignedInDto })
  async me(@CurrentActor() actor: Actor): Promise<{ user: UserDto }> {
    return { user: await this.auth.me(actor) };
  }

  @Get('oidc/login')
  @Public()
  @ApiFoundResponse({ description: 'Redirect to the identity provider; 404 AUTH.OIDC_DISABLED when OIDC is not configured' })
  async oidcLogin(@Res() res: Response): Promise<void> {
    const { url, binding } = await this.oidc.begin();
    // Lax, not Strict: the identity provider's redirect back is a cross-site top-level navigation.
    res.cookie(OIDC_COOKIE, binding, { httpOnly: true, sameSite: 'lax', secure: this.config.COOKIE_SECURE, path: OIDC_COOKIE_PATH, maxAge: 600_000 });
    res.redirect(302, url);
  }

  @Get('oidc/callback')
  @Public()
  @ApiFoundResponse({ description: 'Signed in: sets the session cookie and redirects to the dashboard' })
  async oidcCallback(@Query() query: Record<string, string>, @Req() req: Request, @Res() res: Response): Promise<void> {
    const source = sourceOf(req);
    res.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
    const { userId, username } = await this.oidc.complete({ code: query.code, state: query.state }, readCookie(req, OIDC_COOKIE), source);
    const signedIn = await this.auth.startSession(userId, source, 'oidc', username);
    res.cookie(SESSION_COOKIE, signedIn.secret, { ...sessionCookieOptions(this.config), maxAge: this.config.SESSION_MAX_HOURS * 3_600_000 });
    res.redirect(302, this.config.OIDC_POST_LOGIN_REDIRECT);
  }
}
