import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig } from './core/config/app-config';
import { ProblemDetailsFilter } from './core/errors/problem-details.filter';
import { createValidationPipe } from './core/http/validation';

const IMPORT_PATH = '/api/v1/experiment-data';

/** Builds the HTTP application exactly as main.ts serves it; integration tests use the same function. */
export async function createApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  // Exchange documents may be large (BODY_LIMIT); every other route gets the small JSON_BODY_LIMIT.
  // Authentication runs after parsing (a guard), so the small default also bounds what strangers can send.
  app.use(IMPORT_PATH, json({ limit: config.BODY_LIMIT }));
  app.useBodyParser('json', { limit: config.JSON_BODY_LIMIT });
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  // Strict CORS: only the configured origins, with credentials (the session cookie); none means same-origin only.
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: true });
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('COPD bundelbekostiging: experiment tracker API')
      .setDescription(
        'Records, pricing and indicators of the NZa COPD bundled-payment experiment. ' +
          'Errors are RFC 9457 problem+json with a stable code per reason. ' +
          'Every /api/v1 route needs the session cookie of POST /api/v1/auth/login or an organisation\'s API token ' +
          '(Authorization: Bearer); 401 AUTH.REQUIRED without, 403 AUTH.FORBIDDEN for a role the route does not allow, ' +
          '404 for an object of another organisation, exactly as for a missing one.',
      )
      .setVersion('1')
      .addCookieAuth('copd_session')
      .addBearerAuth()
      .addSecurityRequirements('cookie')
      .addSecurityRequirements('bearer')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
