# The Node service (worker/node.ts: Hono + DuckDB) as a container image, for a Cloudflare Container behind the
# edge Worker (wrangler.toml) or any container host. Build: docker build -t convo-insights .
#
# By default (STORE=duckdb) the money data lives in the DuckDB file under /data: mount a durable volume there.
# Where the disk is ephemeral (a Cloudflare Container) the money lives in Postgres (STORE=postgres, DATABASE_URL)
# and the ingest lake is copied to R2 (INGEST_LAKE_URL, S3_*), and RESTORE_FROM_LAKE=true rebuilds the analytics
# on a fresh disk; worker/cloudflare-container.ts refuses to start the image without them. README "Operating the
# service" has the details.

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:widgets

FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
# tsx runs the TypeScript sources as they are (the migrations are read beside worker/db), so it is a runtime
# dependency; nothing else of the dev tool chain ships.
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY worker ./worker
COPY data ./data
COPY --from=build /app/widgets/dist ./widgets/dist
RUN mkdir -p /data && chown node:node /data
USER node
ENV PORT=8787 \
    HOST=0.0.0.0 \
    DB_PATH=/data/convo-insights.duckdb \
    INGEST_LAKE_DIR=/data/ingest-lake \
    LAKE_DIR=/data/lake \
    INTAKE_DIR=/data/intake
VOLUME ["/data"]
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 8787) + '/v1/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "worker/node.ts"]
