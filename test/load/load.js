import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import { performance } from 'node:perf_hooks'
import { clearInterval, setImmediate, setInterval } from 'node:timers'

/**
 * Closed-loop load: `concurrency` workers each run `task(n, worker)` back to back until the
 * window of `seconds` ends or `maxOps` tasks have started, whichever comes first. A task
 * resolves to `true` when it did what it should, or to a short reason (string) when not; a
 * thrown error counts as a failure too.
 *
 * Throughput counts the successful tasks that finished inside the window, divided by the
 * window, so the drain after the deadline (fewer tasks in flight) does not skew it. Latency
 * is taken over every task that finished, in milliseconds. `stopped()` ends the loop early.
 */
export async function closedLoop({ concurrency, seconds, maxOps = 1_000_000, task, stopped = () => false }) {
	const latencies = new Float64Array(maxOps)
	let started = 0
	let completed = 0
	let okInWindow = 0
	let failures = 0
	const reasons = new Map()
	const begin = performance.now()
	const deadline = begin + seconds * 1000

	const fail = (reason) => {
		failures++
		const key = String(reason).slice(0, 200)
		reasons.set(key, (reasons.get(key) ?? 0) + 1)
	}

	const worker = async (id) => {
		while (started < maxOps && performance.now() < deadline && !stopped()) {
			const n = started++
			const t0 = performance.now()
			let outcome
			try {
				outcome = await task(n, id)
			} catch (error) {
				outcome = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
			}
			const t1 = performance.now()
			latencies[completed++] = t1 - t0
			if (outcome === true) {
				if (t1 <= deadline) okInWindow++
			} else {
				fail(outcome)
				// A task that fails at once (a closed pool, a refused connection) must not starve
				// the event loop: timers, signals and cleanup still need their turn.
				await new Promise((resolve) => setImmediate(resolve))
			}
		}
	}
	await Promise.all(Array.from({ length: concurrency }, (_, id) => worker(id)))
	const elapsed = (performance.now() - begin) / 1000

	return {
		concurrency,
		seconds,
		elapsedSeconds: round(elapsed, 3),
		ops: completed,
		failures,
		failureReasons: Object.fromEntries(reasons),
		hitMaxOps: started >= maxOps,
		perSecond: round(okInWindow / seconds, 1),
		latencyMs: summarize(latencies.subarray(0, completed)),
	}
}

function summarize(values) {
	if (values.length === 0) return { p50: null, p90: null, p95: null, p99: null, max: null, mean: null }
	const sorted = Float64Array.from(values).sort()
	const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]
	let sum = 0
	for (const value of sorted) sum += value
	return {
		p50: round(at(0.5), 2),
		p90: round(at(0.9), 2),
		p95: round(at(0.95), 2),
		p99: round(at(0.99), 2),
		max: round(sorted[sorted.length - 1], 2),
		mean: round(sum / sorted.length, 2),
	}
}

export function round(value, digits) {
	const factor = 10 ** digits
	return Math.round(value * factor) / factor
}

/**
 * Samples a process's memory from /proc (Linux): VmHWM is the kernel's own peak resident set
 * since the process started; VmRSS sampled every `intervalMs` gives the peak per phase.
 * Elsewhere every reading is null.
 */
export function memorySampler(pid, intervalMs = 200) {
	const read = () => {
		try {
			const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8')
			const kib = (name) => {
				const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)
				return match ? Number(match[1]) * 1024 : null
			}
			return { rss: kib('VmRSS'), hwm: kib('VmHWM') }
		} catch {
			return { rss: null, hwm: null }
		}
	}
	let phasePeak = 0
	let lastHwm = null
	const sample = () => {
		const { rss, hwm } = read()
		if (rss !== null) phasePeak = Math.max(phasePeak, rss)
		if (hwm !== null) lastHwm = hwm
	}
	sample()
	const timer = setInterval(sample, intervalMs)
	timer.unref()
	return {
		now: () => read().rss,
		/** Peak VmRSS seen since the last call, and starts a new phase. */
		phase: () => {
			sample()
			const peak = phasePeak || null
			phasePeak = 0
			return peak
		},
		/** The kernel's peak (VmHWM); the last reading if the process has gone. */
		peak: () => {
			sample()
			return lastHwm
		},
		stop: () => clearInterval(timer),
	}
}

const clockTicks = (() => {
	try {
		const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
		return Number.isInteger(ticks) && ticks > 0 ? ticks : 100
	} catch {
		return 100
	}
})()

/** utime, stime, cutime, cstime (ms) and ppid of a process from /proc/<pid>/stat; null if unreadable. */
function procStat(pid) {
	let text
	try {
		text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
	} catch {
		return null
	}
	// Field 2 (the command) may hold spaces and parentheses: split after its closing one.
	const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
	const ms = (index) => (Number(fields[index]) * 1000) / clockTicks
	return { ppid: Number(fields[1]), own: ms(11) + ms(12), reaped: ms(13) + ms(14) }
}

/**
 * CPU time meters (ms), each a function returning a running total or null where unknown:
 * `process(pid)` for one process; `processTree(pid)` for a process, its live children and the
 * children it has already reaped (PostgreSQL's postmaster and its backends).
 */
export const cpu = {
	self: () => {
		const usage = process.cpuUsage()
		return (usage.user + usage.system) / 1000
	},
	process: (pid) => () => procStat(pid)?.own ?? null,
	processTree: (pid) => () => {
		const parent = procStat(pid)
		if (!parent) return null
		let total = parent.own + parent.reaped
		let entries = []
		try {
			entries = fs.readdirSync('/proc')
		} catch {
			return null
		}
		for (const entry of entries) {
			if (!/^\d+$/.test(entry)) continue
			const child = procStat(entry)
			if (child?.ppid === pid) total += child.own + child.reaped
		}
		return total
	},
}
