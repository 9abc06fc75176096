# syntax=docker/dockerfile:1
# Multi-stage: compile with dev dependencies, ship only production dependencies and the compiled code.
# Node 24 (LTS): Node 20 reached end of life on 2026-04-30. package.json `engines` still admits Node 20 for
# development machines; .ci/run runs the test suite on both.

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The client SDK is an npm workspace: npm ci needs its manifest.
COPY client/package.json ./client/
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
COPY client ./client
RUN npm run build

FROM node:24-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY client/package.json ./client/
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
# Production mode: upstream base URLs must be configured (sandbox upstreams are refused), no introspection,
# no internal error detail. Set DATABASE_URL for PostgreSQL; without it PGlite keeps its data in /data.
# The V8 heap bound of `npm start` (package.json; why: README "Memory"): overridable with `-e NODE_OPTIONS=…`.
ENV NODE_ENV=production \
    NODE_OPTIONS=--max-old-space-size=256 \
    HOST=0.0.0.0 \
    PORT=4000 \
    PGLITE_DIR=/data/pglite
WORKDIR /app
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY data ./data
# The code cache of the bundled CLI (src/boot/load.ts) is written by the first start of a container, as user node.
RUN mkdir -p /data node_modules/.cache/thuegate && chown node:node /data node_modules/.cache/thuegate
USER node
VOLUME ["/data"]
EXPOSE 4000
HEALTHCHECK --interval=30s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||4000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node receives SIGTERM directly (exec form, PID 1) and drains in-flight requests before exiting.
CMD ["node", "bin/thuegate.js", "serve"]
