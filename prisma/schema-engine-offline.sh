#!/bin/sh
# Prisma's CLI downloads a native schema engine that this project does not use.
# Migrations are authored with the wasm engine and applied by Foyer's own migrator.
echo "This project does not use Prisma's native schema engine: use npm run db:migration:new / npm run db:migrate" >&2
exit 1
