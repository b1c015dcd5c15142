#!/usr/bin/env node
// The `foyer` command. It runs the TypeScript sources through tsx, so it works in a checkout
// with or without a build, and whether or not the server is running.
import fs from 'node:fs'
import { register } from 'tsx/esm/api'

// The checkout's .env, as `npm start` reads it (variables already in the environment win).
const envFile = new URL('../../.env', import.meta.url)
if (fs.existsSync(envFile)) process.loadEnvFile(envFile)

process.env.FOYER_CLI = '1'
process.env.LOG_LEVEL ??= 'warn'
register()
const { run } = await import('./main.ts')
process.exitCode = await run(process.argv.slice(2))
