import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppConfig } from '../config/app-config';
import { AppError } from '../errors/app-error';
import { problemType } from '../errors/problem-details.filter';
import { METRICS_CHALLENGE, metricsAccess, metricsNotConfigured, metricsTokenRequired } from './metrics-token';
import { MetricsRegistry } from './metrics-registry';

/**
 * The worker has no HTTP server of its own; this tiny one serves its metrics on METRICS_HOST:METRICS_PORT
 * (unset: no server), GET /metrics only, under the same bearer-token rule as the API's /metrics. Anything else is
 * answered with problem+json like the API's errors. Started after bootstrap, closed on shutdown. A port that is
 * taken is logged and the worker runs on without metrics: its jobs matter more than their numbers.
 */
@Injectable()
export class WorkerMetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(WorkerMetricsServer.name);
  private server?: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.config.METRICS_PORT;
    if (port === undefined) return;
    const server = createServer((req, res) => void this.handle(req, res));
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, this.config.METRICS_HOST, () => resolve());
      });
    } catch (error) {
      this.logger.error({ err: error, host: this.config.METRICS_HOST, port }, 'worker metrics server could not start; running without it');
      return;
    }
    this.server = server;
    this.logger.log({ url: `http://${this.config.METRICS_HOST}:${this.address()?.port}/metrics` }, 'worker metrics served');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Where the server listens (with METRICS_PORT=0, the port the system chose); undefined when it does not. */
  address(): AddressInfo | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address : undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const instance = req.url ?? '/';
    if (instance.split('?')[0] !== '/metrics') return sendProblem(res, instance, 404, metricsNotConfigured());
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendProblem(res, instance, 405, methodNotAllowed());
    }
    const access = metricsAccess(this.config.METRICS_TOKEN, req.headers.authorization);
    if (access === 'DISABLED') return sendProblem(res, instance, 404, metricsNotConfigured());
    if (access === 'REFUSED') {
      res.setHeader('WWW-Authenticate', METRICS_CHALLENGE);
      return sendProblem(res, instance, 401, metricsTokenRequired());
    }
    try {
      const body = await this.metrics.metrics();
      res.writeHead(200, { 'Content-Type': this.metrics.contentType, 'Cache-Control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (error) {
      this.logger.error({ err: error }, 'metrics scrape failed');
      sendProblem(res, instance, 500, internalError());
    }
  }
}

const TITLES: Record<number, string> = { 401: 'Unauthorized', 404: 'Not found', 405: 'Method not allowed', 500: 'Internal Server Error' };

function methodNotAllowed(): AppError {
  return new AppError('INVALID_REQUEST', 'REQUEST.METHOD_NOT_ALLOWED', 'Op dit adres kunt u alleen gegevens ophalen (GET).');
}

function internalError(): AppError {
  return new AppError('UNAVAILABLE', 'INTERNAL', 'Er ging iets mis aan onze kant. Probeer het later opnieuw of meld het ons.');
}

/** The problem+json of an AppError, as the API's filter writes it (the worker has no Nest HTTP layer). */
function sendProblem(res: ServerResponse, instance: string, status: number, error: AppError): void {
  const body = { type: problemType(error.code), title: TITLES[status], status, detail: error.message, instance, code: error.code };
  res.writeHead(status, { 'Content-Type': 'application/problem+json', 'Content-Language': 'nl' });
  res.end(JSON.stringify(body));
}
