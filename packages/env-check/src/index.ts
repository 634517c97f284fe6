/**
 * `@oa/env-check`: reads `.env` once (python-dotenv syntax), overlays the process environment,
 * validates every variable and returns one frozen, typed config, or every problem at once.
 *
 * @example
 * ```ts
 * import { loadEnv, formatProblem } from '@oa/env-check'
 * const result = loadEnv({ rootDir: process.cwd(), processEnv: process.env })
 * if (!result.ok) { for (const p of result.problems) console.error(formatProblem(p)); process.exit(1) }
 * console.log(result.config.server.port)
 * ```
 */
export { loadEnv, checkEnv, formatProblem, ensureEnvFile, parseDotenv } from './env.js'
export type { LoadEnvOptions, CheckEnvInput, EnsureEnvFileResult } from './env.js'
export type {
  OaConfig,
  EnvProblem,
  EnvWarning,
  EnvCheckResult,
  RateLimit,
  RateLimitRule,
  TimeOfDay,
  LogLevel,
} from './types.js'
