import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { json, type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { AppConfig, trustedProxies } from './core/config/app-config';
import { ProblemDetailsFilter } from './core/errors/problem-details.filter';
import { checkParsedBody, jsonOnlyWrites, refuseNulInUrl, sameOriginWrites, verifyJsonDepth } from './core/http/request-guards';
import { BODY_OWNED, malformedJson, parseByteSize, streamedJsonBody } from './core/http/streamed-json-body';
import { createValidationPipe } from './core/http/validation';
import { HttpMetrics } from './core/metrics/http-metrics';
import { AuthService } from './modules/auth/auth.service';
import { multipartUpload } from './modules/interchange/multipart-upload';

const IMPORT_PATH = '/api/v1/experiment-data';

/** Builds the HTTP application exactly as main.ts serves it; integration tests use the same function. */
export async function createApp(): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const config = app.get(AppConfig);
  app.useLogger(app.get(Logger));
  // First of all middleware: the latency histogram times every request, also those refused before routing.
  app.use(app.get(HttpMetrics).middleware);
  // Forwarded addresses only from the proxies named in TRUST_PROXY (none by default): a client cannot choose
  // the address that the sign-in limit counts and the audit log records.
  app.set('trust proxy', trustedProxies(config));
  app.use(helmet());
  const origins = config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
  // Strict CORS: only the configured origins, with credentials (the session cookie); none means same-origin only.
  if (origins.length > 0) app.enableCors({ origin: origins, credentials: true });
  // Before any body is read: no NUL in the URL, writes only from this site (or CORS_ORIGINS, or with a
  // token), and only as JSON in UTF-8.
  app.use(refuseNulInUrl, sameOriginWrites(origins), jsonOnlyWrites);
  // Exchange documents may be large (BODY_LIMIT): the caller is authenticated from the headers first and
  // only an evaluator's body is read, chunk by chunk. Every other route gets the small JSON_BODY_LIMIT,
  // with the nesting checked on the raw bytes before parsing.
  const auth = app.get(AuthService);
  app.use(
    IMPORT_PATH,
    streamedJsonBody({
      limitBytes: parseByteSize(config.BODY_LIMIT),
      authenticate: (req) => auth.authenticate(req),
      mayUpload: (actor) => actor.role === 'EVALUATOR',
    }),
  );
  // The CSV/FHIR upload routes: multipart, authenticated before the body is read (modules/interchange).
  app.use(
    multipartUpload({
      limitBytes: parseByteSize(config.IMPORT_BODY_LIMIT),
      authenticate: (req) => auth.authenticate(req),
      mayUpload: (actor) => actor.role === 'EVALUATOR' || actor.role === 'PRACTICE',
    }),
  );
  const smallJson = json({ limit: config.JSON_BODY_LIMIT, verify: verifyJsonDepth });
  app.use((req: Request & { [BODY_OWNED]?: boolean }, res: Response, next: NextFunction) =>
    req[BODY_OWNED] ? next() : smallJson(req, res, next),
  );
  // body-parser reports unparsable JSON as the SyntaxError itself, which Nest would turn into a bare
  // English 400: give it our code and a Dutch message here, before it leaves Express.
  app.use((error: unknown, _req: Request, _res: Response, next: NextFunction) =>
    next((error as { type?: string } | undefined)?.type === 'entity.parse.failed' ? malformedJson() : error),
  );
  app.use(checkParsedBody);
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
