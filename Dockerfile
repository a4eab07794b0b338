# Images for docker compose. One build stage compiles the API (tsc + tsc-alias) and the dashboard (vite);
# the api image runs the API, the worker and the CLI; the dashboard image is nginx serving the build.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -p apps/api/tsconfig.app.json \
 && npx tsc-alias -p apps/api/tsconfig.app.json \
 && npx vite build --config apps/dashboard/vite.config.mts

FROM node:20-bookworm-slim AS api
WORKDIR /app
ENV NODE_ENV=production
# V8 semi-spaces of up to 64 MiB (Node's default 16) for the API, the worker and the CLI: an import's 100,000 records
# then die young instead of being copied to the old generation (README "Configuration"; tools/bootstrap.cjs).
ENV NODE_OPTIONS=--max-semi-space-size=64
# Headless Chromium prints the monitoring report to PDF (CHROMIUM_PATH, default /usr/bin/chromium; playwright-core
# never downloads a browser), with fonts for its text.
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium fonts-dejavu-core fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist/apps/api ./dist/apps/api
# The monitoring report includes the definitions as its methods (found by walking up from the compiled module).
COPY docs/definitions.md ./docs/definitions.md
USER node
EXPOSE 3000
# The cluster entry: API_PROCESSES copies of main.js sharing the port (default 1, main.js itself in this process;
# README "Configuration" and "Beyond one machine").
CMD ["node", "dist/apps/api/apps/api/src/cluster.js"]

FROM nginx:1.27-alpine AS dashboard
COPY apps/dashboard/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /app/dist/apps/dashboard /usr/share/nginx/html
EXPOSE 80
