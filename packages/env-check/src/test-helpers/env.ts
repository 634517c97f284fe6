// Shared fixtures for env-check tests: the repository's real .sample.env with fresh secrets.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { onTestFinished } from 'vitest'
import { checkEnv } from '../check-env.js'
import { parseDotenv } from '../dotenv.js'
import type { EnvCheckResult, EnvProblem, OaConfig } from '../types.js'

export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url))
export const samplePath = join(repoRoot, '.sample.env')

export function sampleText(): string {
  return readFileSync(samplePath, 'utf8')
}

/** Secret values that tests look for in output; none may ever be printed. */
export const SECRETS = {
  APP_KEY: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0',
  API_KEY_PEPPER: 'aa11bb22cc33dd44ee55ff6677889900aa11bb22cc33dd44ee55ff6677889900',
  FERNET_SALT: '00112233445566778899aabbccddeeff',
} as const

/** The sample's variables with fresh secrets substituted: a valid configuration. */
export function validVars(): Map<string, string> {
  const vars = parseDotenv(sampleText())
  for (const [k, v] of Object.entries(SECRETS)) vars.set(k, v)
  return vars
}

/**
 * Runs checkEnv on the valid sample with overrides applied to the file's variables (undefined
 * removes a variable).
 */
export function check(
  overrides: Record<string, string | undefined> = {},
  options: { processEnv?: Record<string, string | undefined>; rootDir?: string } = {},
): EnvCheckResult {
  const vars = validVars()
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) vars.delete(k)
    else vars.set(k, v)
  }
  return checkEnv({
    rootDir: options.rootDir ?? '/srv/oa',
    fileVars: vars,
    processEnv: options.processEnv ?? {},
    sampleText: sampleText(),
  })
}

export function problems(result: EnvCheckResult): readonly EnvProblem[] {
  return result.ok ? [] : result.problems
}

export function config(result: EnvCheckResult): OaConfig {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.problems)}`)
  return result.config
}

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'oa-env-'))
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}
