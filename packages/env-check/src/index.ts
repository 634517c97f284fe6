/**
 * `@oa/env-check`: reads `.env` once (python-dotenv syntax), overlays the process environment,
 * validates every variable and returns one frozen, typed config, or every problem at once.
 *
 * @example
 * ```ts
 * import { ensureEnvFile, formatProblem, loadEnv } from '@oa/env-check'
 * const rootDir = process.cwd()
 * ensureEnvFile({ rootDir, processEnv: process.env }) // first run: .env with fresh secrets
 * const result = loadEnv({ rootDir, processEnv: process.env })
 * if (!result.ok) {
 *   for (const p of result.problems) process.stderr.write(`${formatProblem(p)}\n`)
 *   process.exit(2)
 * }
 * startServer(result.config.server.port)
 * ```
 */

/**
 * Reads `<rootDir>/.env` and `<rootDir>/.sample.env`, overlays `processEnv` (the process
 * environment wins, a deliberate change from the original) and validates everything. Returns
 * `{ ok: true, config, warnings }` or `{ ok: false, problems, warnings }`; does not throw for bad
 * configuration.
 */
export { loadEnv } from './env-file.js'

/**
 * First run and secret rotation: writes a missing `.env` from `.sample.env` (mode 0600, atomic)
 * with fresh APP_KEY, API_KEY_PEPPER and FERNET_SALT and the sample variables found in
 * `processEnv`; in an existing `.env`, replaces public secrets per {@link planSecretRotation}.
 * Failures are returned in `problems`, not thrown.
 */
export { ensureEnvFile } from './env-file.js'

/**
 * Applies {@link EnvEdit}s to a `.env` file atomically (temp file 0600 + fsync + rename, line
 * endings kept), writing in place when the directory is read-only or the file is bind-mounted.
 * Throws the underlying `NodeJS.ErrnoException` when the file cannot be written at all.
 */
export { applyEnvEdits } from './env-file.js'

/** The pure core of {@link loadEnv}: validates already-read variables; no file I/O. */
export { checkEnv } from './check-env.js'

/**
 * Plans first-run secret rotation (platform.md §2.9, §2.10) from `.env` text: which public
 * secrets to replace and where FERNET_SALT goes. Pure apart from the injected callbacks
 * (database state, legacy-ciphertext probe) and randomness; throws nothing.
 */
export { planSecretRotation } from './rotation.js'

/**
 * Parses `.env` text with python-dotenv's syntax into a map (a duplicate key keeps its last
 * value; unparsable lines are skipped).
 */
export { parseDotenv } from './dotenv.js'

/** Like {@link parseDotenv}, also returning the skipped lines (by number) and binding offsets. */
export { parseDotenvDetailed } from './dotenv.js'

/** Quotes a value so that {@link parseDotenv} reads it back unchanged. */
export { quoteDotenvValue } from './dotenv.js'

/** One line for an {@link EnvProblem}: variable, message, what was found (masked), the fix. */
export { formatProblem } from './format.js'

/** One line for an {@link EnvWarning}. */
export { formatWarning } from './format.js'

/**
 * Parses a Flask-Limiter string (`10 per second;40 per minute`) into a {@link RateLimit};
 * `{ ok: false, message }` when it does not follow the grammar of platform.md §2.7.
 */
export { parseRateLimit } from './rate-limit.js'

/** Every variable the schema knows, with group, default, rule and whether it is secret. */
export { listEnvVariables } from './reference.js'

/** Markdown of the environment reference table (docs/environment.md). */
export { renderEnvReference } from './reference.js'

/**
 * Classifies a secret value as `ok`, a shipped `placeholder` or a `leaked` historical literal,
 * for entry points that must refuse public secrets before anything else runs (W-34).
 */
export { secretExposure } from './constants.js'

/** The `OPENALGO_PLACEHOLDER_..._REGENERATE_BEFORE_USE` values `.sample.env` ships. */
export {
  PLACEHOLDER_APP_KEY,
  PLACEHOLDER_API_KEY_PEPPER,
  PLACEHOLDER_FERNET_SALT,
} from './constants.js'

export type {
  LoadEnvOptions,
  EnsureEnvFileOptions,
  EnsureEnvFileResult,
  ApplyEnvEditsResult,
} from './env-file.js'
export type { CheckEnvInput } from './check-env.js'
export type {
  PlanSecretRotationInput,
  SecretRotationPlan,
  FernetSaltCase,
  GeneratedSecret,
  LegacyCiphertextState,
} from './rotation.js'
export type { EnvEdit } from './env-edits.js'
export type { DotenvParseResult, DotenvSyntaxError, DotenvBinding } from './dotenv.js'
export type { RateLimitOutcome } from './rate-limit.js'
export type { EnvVariableInfo } from './reference.js'
export type { VarGroup } from './fields.js'
export type { SecretExposure } from './constants.js'
export type { WriteMethod } from './atomic-write.js'
export type {
  OaConfig,
  EnvProblem,
  EnvProblemCode,
  EnvWarning,
  EnvWarningCode,
  EnvCheckResult,
  RateLimit,
  RateLimitRule,
  TimeOfDay,
  LogLevel,
  HealthThreshold,
} from './types.js'
