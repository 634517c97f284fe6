import { join } from 'node:path'
import { ensureEnvFile, formatProblem, loadEnv, type OaConfig } from '@oa/env-check'

export interface ConfigOutcome {
  readonly config: OaConfig | null
  /** lines for the operator: problems (config null) or notices such as first-run generation */
  readonly messages: readonly { readonly level: 'error' | 'warn' | 'info'; readonly text: string }[]
}

export interface LoadConfigOptions {
  readonly rootDir: string
  /** the .env file, default `<rootDir>/.env` */
  readonly envFile?: string
  readonly processEnv: Readonly<Record<string, string | undefined>>
  /** write `.env` from `.sample.env` with fresh secrets when it does not exist */
  readonly createIfMissing: boolean
}

/**
 * Phase 0 of every `oa` subcommand: make sure `.env` exists (first run), then validate the whole
 * environment, collecting every problem.
 */
export function loadConfig(options: LoadConfigOptions): ConfigOutcome {
  const envFile = options.envFile ?? join(options.rootDir, '.env')
  const messages: { level: 'error' | 'warn' | 'info'; text: string }[] = []
  if (options.createIfMissing) {
    const created = ensureEnvFile({ rootDir: options.rootDir, envFile })
    if (created.created) {
      messages.push({
        level: 'info',
        text: `No .env found: wrote ${created.path} from .sample.env with fresh random ${created.generated.join(', ')}. Back this file up; it holds your secrets.`,
      })
    }
  }
  const result = loadEnv({ rootDir: options.rootDir, envFile, processEnv: options.processEnv })
  for (const w of result.warnings)
    messages.push({ level: 'warn', text: w.variable ? `${w.variable}: ${w.message}` : w.message })
  if (!result.ok) {
    for (const p of result.problems) messages.push({ level: 'error', text: formatProblem(p) })
    return { config: null, messages }
  }
  return { config: result.config, messages }
}
