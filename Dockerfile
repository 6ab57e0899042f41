# syntax=docker/dockerfile:1
# Production image: compiled JavaScript and production dependencies, run as the unprivileged `node`
# user. Nothing compiles TypeScript at run time (no tsx): the build stage runs `npm run build`.
FROM node:20.20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json index.ts ./
COPY access ./access
COPY cli ./cli
COPY db ./db
COPY diagram ./diagram
COPY factories ./factories
COPY loaders ./loaders
COPY models ./models
COPY resolvers ./resolvers
COPY schema ./schema
COPY server ./server
# dist/: the JavaScript the TypeScript compiler emits, and the demo's migrations in dist/db/migrations.
RUN npm run build

FROM node:20.20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20.20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=4000
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
# Without DATABASE_URL the server keeps an embedded database in .relgraph/data: the user must own it.
RUN mkdir -p .relgraph && chown node:node .relgraph
USER node
EXPOSE 4000
# The port follows PORT, so the check still works when the server is moved to another port.
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 4000}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `npm start` run from the compiled JavaScript: applies the migrations, seeds the demo data into an
# empty database, then serves. A larger young generation (64 MB semi-spaces) saves garbage collection
# on the many short-lived objects of a request.
CMD ["node", "--max-semi-space-size=64", "dist/server/main.js", "start"]
