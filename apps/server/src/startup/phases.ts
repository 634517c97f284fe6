import { performance } from 'node:perf_hooks'
import type { Logger } from '../logger.js'

/** A startup phase failed: `message` says what failed and `fix` how to fix it. */
export class StartupError extends Error {
  override readonly name = 'StartupError'
  constructor(
    readonly phase: string,
    message: string,
    readonly fix: string,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

/** Runs one named phase, logging its name and duration; failures become StartupErrors. */
export async function runPhase<T>(
  logger: Logger,
  phase: string,
  fix: string,
  work: () => Promise<T> | T,
): Promise<T> {
  const started = performance.now()
  try {
    const value = await work()
    logger.info({ phase, durationMs: round(performance.now() - started) }, 'startup phase done')
    return value
  } catch (error) {
    if (error instanceof StartupError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new StartupError(phase, `${phase} failed: ${reason}`, fix, { cause: error })
  }
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
