import path from 'node:path'
import { defineConfig } from 'prisma/config'

// No schema-engine binary can be fetched offline; any existing file stops the CLI from trying.
// Migrations are authored by prisma/migration-new.ts (wasm engine) and applied by app/utils/migrate.server.ts.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve('prisma/schema-engine-offline.sh')

export default defineConfig({
	schema: 'prisma/schema.prisma',
	migrations: { path: 'prisma/migrations' },
	// env('DATABASE_URL') throws when unset, and `prisma generate` must work without a database.
	datasource: { url: process.env.DATABASE_URL ?? '' },
})
