# Foyer on the current Node LTS. Build: docker build -t foyer .
# The same steps run without Docker in .ci/run (npm ci, prisma generate via postinstall, remix build).

FROM node:24-bookworm-slim AS build
WORKDIR /app
# argon2 builds from source when its prebuilt binary does not match the runtime.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx remix build && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production PORT=3000 FOYER_DATA_DIR=/data
# Memory (measured by npm run bench, which starts the server with the same settings): two malloc
# arenas keep argon2's 19 MiB buffers from being cached once per libuv thread, and a capped V8 heap
# stops it growing to several hundred MB under load. Peak RSS ~530 → ~280 MB, for ~5% more CPU
# per sign-in and up to ~20% per page. Raise the caps on a bigger box.
ENV MALLOC_ARENA_MAX=2 NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=8"
WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /data foyer && mkdir -p /data && chown foyer /data
COPY --from=build --chown=foyer /app/package.json /app/remix.config.js ./
COPY --from=build --chown=foyer /app/node_modules ./node_modules
COPY --from=build --chown=foyer /app/build ./build
COPY --from=build --chown=foyer /app/public ./public
COPY --from=build --chown=foyer /app/prisma ./prisma
COPY --from=build --chown=foyer /app/themes ./themes
COPY --from=build --chown=foyer /app/app ./app
USER foyer
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# Migrations are applied on start; the CLI is `docker compose exec foyer npx foyer ...`.
CMD ["node", "build/index.js"]
