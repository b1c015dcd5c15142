import type { Env } from './env.server'
import type { Secrets } from './secrets.server'

/** What every module may read once the process has booted (server, CLI or test setup). */
export type RuntimeConfig = { env: Env; secrets: Secrets }

let runtime: RuntimeConfig | undefined

export function configure(config: RuntimeConfig) {
	runtime = config
}

export function config(): RuntimeConfig {
	if (!runtime) throw new Error('Foyer is not configured: boot() (or a test setup) must call configure() first')
	return runtime
}
