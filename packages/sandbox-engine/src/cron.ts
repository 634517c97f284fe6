import { Cron } from 'croner'
import { resolveConfig, type SandboxConfigInput } from './config.js'
import type { Logger } from './ports.js'
import { formatHhMm } from './time.js'

/** Options of `createSandboxCron`. */
export interface SandboxCronOptions {
  /** how often resting orders are checked against prices, in seconds (1–59); default 5 */
  readonly pollSeconds?: number
  /** where job errors go; default: logged at `error` */
  readonly logger?: Logger
}

/** Croner jobs that call `runDue()`; nothing runs until `start()`. */
export interface SandboxCron {
  /** the cron patterns (IST) the jobs use */
  readonly patterns: readonly string[]
  /** creates the timers */
  start(): void
  /** stops every timer */
  stop(): void
  /** runs `runDue()` now through the same fold-in guard the timers use; resolves when done */
  trigger(): Promise<void>
}

/**
 * Builds croner jobs for a host that wants the engine driven by wall-clock time: a poll every
 * `pollSeconds` plus exact-minute jobs at each square-off time, exchange close, the session
 * boundary, midnight (T+1) and the reset time. Every job only calls `runDue()`, which decides
 * what is due from the clock, so overlapping or missed jobs do no harm; a call that arrives while
 * one is running is folded into one follow-up run.
 */
export function createSandboxCron(
  engine: { runDue(): Promise<unknown> },
  config: SandboxConfigInput = {},
  options: SandboxCronOptions = {},
): SandboxCron {
  const c = resolveConfig(config)
  const poll = options.pollSeconds ?? 5
  if (!Number.isInteger(poll) || poll < 1 || poll > 59) {
    throw new Error(`pollSeconds must be an integer from 1 to 59, got ${poll}`)
  }
  const minutes = new Set<number>([
    0,
    c.sessionMinute,
    c.resetMinute,
    ...c.squareOffMinutes.values(),
    ...c.closeMinutes.values(),
  ])
  const patterns = [
    `*/${poll} * * * * *`,
    ...[...minutes]
      .sort((a, b) => a - b)
      .map((m) => {
        const [h, mi] = formatHhMm(m).split(':')
        return `0 ${Number(mi)} ${Number(h)} * * *`
      }),
  ]
  let jobs: Cron[] = []
  let running: Promise<void> | undefined
  let again = false
  const tick = (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        try {
          await engine.runDue()
        } catch (error) {
          options.logger?.error({ err: error }, 'sandbox runDue failed')
        }
      } while (again)
    })().finally(() => {
      running = undefined
    })
    return running
  }
  return {
    patterns,
    start() {
      if (jobs.length > 0) return
      jobs = patterns.map(
        (p) =>
          new Cron(p, { timezone: 'Asia/Kolkata', unref: true }, () => {
            void tick()
          }),
      )
    },
    stop() {
      for (const j of jobs) j.stop()
      jobs = []
    },
    trigger: tick,
  }
}
