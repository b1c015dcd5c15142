#!/usr/bin/env node
// The `foyer` command. It runs the TypeScript sources through tsx, so it works in a checkout
// with or without a build, and whether or not the server is running.
import { register } from 'tsx/esm/api'

process.env.FOYER_CLI = '1'
process.env.LOG_LEVEL ??= 'warn'
register()
const { run } = await import('./main.ts')
process.exitCode = await run(process.argv.slice(2))
