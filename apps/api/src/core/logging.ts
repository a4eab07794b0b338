import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';

/**
 * Structured JSON logs (pino). Credentials and cookies are redacted; request bodies are never logged,
 * because they carry patient data.
 */
export function loggerModule() {
  return LoggerModule.forRootAsync({
    imports: [ConfigModule],
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({
      pinoHttp: {
        level: config.LOG_LEVEL,
        redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
        transport: config.LOG_PRETTY ? { target: 'pino-pretty', options: { singleLine: true } } : undefined,
        autoLogging: { ignore: (req: { url?: string }) => req.url === '/health' },
        customProps: () => ({ app: config.APP_NAME }),
      },
    }),
  });
}
