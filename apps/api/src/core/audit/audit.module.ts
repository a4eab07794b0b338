import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { FieldVisibilityInterceptor } from '../actor/field-visibility.interceptor';
import { AccessAuditInterceptor } from './access-audit.interceptor';
import { AuditTrailRepository } from './audit-trail.repository';
import { AuditService } from './audit.service';

/**
 * The audit trail writer, and the two request-level checks that audit what they decide: refused filters on
 * fields a role may not see (core/actor/field-visibility.ts) and requests for objects not found in scope.
 */
@Global()
@Module({
  providers: [
    AuditTrailRepository,
    AuditService,
    { provide: APP_INTERCEPTOR, useClass: AccessAuditInterceptor },
    { provide: APP_INTERCEPTOR, useClass: FieldVisibilityInterceptor },
  ],
  exports: [AuditService],
})
export class AuditModule {}
