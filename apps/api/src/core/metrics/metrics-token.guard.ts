import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { METRICS_CHALLENGE, metricsAccess, metricsNotConfigured, metricsTokenRequired } from './metrics-token';

/**
 * The metrics route's own authorisation: it is @Public() for the global guard (no role's session or API token
 * may read it), and answers only to the METRICS_TOKEN bearer token (metrics-token.ts).
 */
@Injectable()
export class MetricsTokenGuard implements CanActivate {
  constructor(private readonly config: AppConfig) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const access = metricsAccess(this.config.METRICS_TOKEN, http.getRequest<Request>().headers.authorization);
    if (access === 'DISABLED') throw metricsNotConfigured();
    if (access === 'REFUSED') {
      http.getResponse<Response>().setHeader('WWW-Authenticate', METRICS_CHALLENGE);
      throw metricsTokenRequired();
    }
    return true;
  }
}
