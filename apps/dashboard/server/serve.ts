/**
 * Serves the built dashboard (dist/apps/dashboard) and forwards /api and /health to the API, so the
 * browser talks to one origin. Used by `npm run demo`, the browser tests and the docker image.
 */
import express from 'express';
import { existsSync } from 'node:fs';
import { Server } from 'node:http';
import path from 'node:path';
import { createProxyMiddleware } from 'http-proxy-middleware';

const FORWARDED_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'x-forwarded-port'];

export interface DashboardServerOptions {
  port: number;
  host: string;
  apiUrl: string;
  staticDir: string;
}

export function startDashboardServer(options: DashboardServerOptions): Promise<Server> {
  if (!existsSync(path.join(options.staticDir, 'index.html'))) {
    throw new Error(`No dashboard build in ${options.staticDir}: run \`npx nx build dashboard\` first.`);
  }
  const app = express();
  app.disable('x-powered-by');
  const proxy = createProxyMiddleware({ target: options.apiUrl, changeOrigin: false, xfwd: true });
  app.use((req, res, next) => {
    if (!req.url.startsWith('/api/') && req.url !== '/health') return next();
    // The API trusts X-Forwarded-For from this server (TRUST_PROXY), so it must hold what this server saw:
    // whatever the client sent is dropped and xfwd sets the peer address (and host, port, protocol) afresh.
    for (const header of FORWARDED_HEADERS) delete req.headers[header];
    return proxy(req, res, next);
  });
  app.use(express.static(options.staticDir, { index: 'index.html', maxAge: '1h' }));
  // Client-side routes fall back to the app shell.
  app.use((_req, res) => res.sendFile(path.join(options.staticDir, 'index.html')));
  return new Promise((resolve, reject) => {
    const server = app.listen(options.port, options.host, () => resolve(server));
    server.on('error', reject);
  });
}

if (require.main === module) {
  const options: DashboardServerOptions = {
    port: Number(process.env.DASHBOARD_PORT ?? 4200),
    host: process.env.HOST ?? '127.0.0.1',
    apiUrl: process.env.API_URL ?? 'http://127.0.0.1:3000',
    staticDir: process.env.DASHBOARD_DIST ?? path.resolve(__dirname, '../../../dist/apps/dashboard'),
  };
  startDashboardServer(options).then(
    () => process.stdout.write(`dashboard on http://${options.host}:${options.port} (API ${options.apiUrl})\n`),
    (error) => {
      process.stderr.write(`Dashboard failed to start: ${(error as Error).message}\n`);
      process.exit(1);
    },
  );
}
