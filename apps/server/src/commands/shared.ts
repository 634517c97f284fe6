import { performance } from 'node:perf_hooks'
import type { OaConfig } from '@oa/env-check'
import { loadConfig } from '../config.js'
import { repoRoot } from '../paths.js'

/** What every subcommand receives from the entry point. */
export interface CommandIo {
  readonly argv: readonly string[]
  readonly env: Readonly<Record<string, string | undefined>>
  readonly stdout: NodeJS.WritableStream
  readonly stderr: NodeJS.WritableStream
}

export function println(stream: NodeJS.WritableStream, line: string): void {
  stream.write(`${line}\n`)
}

/**
 * Loads and validates the environment the way every subcommand does: creates `.env` on first
 * run, prints notices and problems, returns the config or null (problems printed).
 */
export function configOrNull(io: CommandIo): { config: OaConfig | null; durationMs: number } {
  const t0 = performance.now()
  const outcome = loadConfig({
    rootDir: repoRoot,
    envFile: io.env['OA_ENV_FILE'] || undefined,
    processEnv: io.env,
    createIfMissing: true,
  })
  for (const m of outcome.messages) {
    println(
      m.level === 'error' ? io.stderr : io.stdout,
      m.level === 'error' ? m.text : `oa: ${m.text}`,
    )
  }
  if (!outcome.config) {
    const count = outcome.messages.filter((m) => m.level === 'error').length
    println(
      io.stderr,
      `oa: ${count} problem${count === 1 ? '' : 's'} in the environment; fix them in .env (see .sample.env) and run again.`,
    )
  }
  return { config: outcome.config, durationMs: performance.now() - t0 }
}
