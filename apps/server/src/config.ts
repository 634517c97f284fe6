import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { openSqlite } from '@oa/db'
import {
  ensureEnvFile,
  formatProblem,
  formatWarning,
  loadEnv,
  type EnvProblem,
  type OaConfig,
} from '@oa/env-check'
import { systemClock } from './clock.js'
import { probeLegacyCiphertexts } from './startup/fernet-salt-migration.js'

export interface ConfigMessage {
  readonly level: 'error' | 'warn' | 'info'
  readonly text: string
}

export interface ConfigOutcome {
  readonly config: OaConfig | null
  /** lines for the operator: problems (config null) or notices such as first-run generation */
  readonly messages: readonly ConfigMessage[]
  /** the problems themselves (empty when the config is valid) */
  readonly problems: readonly EnvProblem[]
  /** stored secrets must be re-encrypted from the legacy Fernet salt to the new FERNET_SALT */
  readonly migrateFernetFromLegacySalt: boolean
}

export interface LoadConfigOptions {
  readonly rootDir: string
  /** the .env file, default `<rootDir>/.env` */
  readonly envFile?: string
  readonly processEnv: Readonly<Record<string, string | undefined>>
  /** first run: write `.env` from `.sample.env` with fresh secrets; rotate placeholder secrets */
  readonly createIfMissing: boolean
}

/**
 * Phase 0 of every `oa` subcommand: make sure `.env` exists with real secrets (first run,
 * spec platform.md §2.9–2.10), then validate the whole environment, collecting every problem.
 */
export function loadConfig(options: LoadConfigOptions): ConfigOutcome {
  const envFile = options.envFile ?? join(options.rootDir, '.env')
  const messages: ConfigMessage[] = []
  let migrateFernetFromLegacySalt = false
  if (options.createIfMissing) {
    const prepared = ensureEnvFile({
      rootDir: options.rootDir,
      envFile,
      processEnv: options.processEnv,
      isDatabasePopulated: hasUsers,
      probeLegacyCiphertext: ({ mainDbPath, pepper }) => {
        try {
          const db = openSqlite(mainDbPath, { readonly: true })
          try {
            return probeLegacyCiphertexts(db, { pepper, clock: systemClock })
          } finally {
            db.close()
          }
        } catch {
          // unreadable: never generate a salt on a guess
          return 'undecryptable'
        }
      },
    })
    for (const n of prepared.notices) {
      messages.push({ level: n.severity === 'info' ? 'info' : 'warn', text: formatWarning(n) })
    }
    if (prepared.problems.length > 0) {
      for (const p of prepared.problems) messages.push({ level: 'error', text: formatProblem(p) })
      return {
        config: null,
        messages,
        problems: prepared.problems,
        migrateFernetFromLegacySalt: false,
      }
    }
    migrateFernetFromLegacySalt = prepared.migrateFernetFromLegacySalt
  }
  const result = loadEnv({ rootDir: options.rootDir, envFile, processEnv: options.processEnv })
  for (const w of result.warnings) {
    messages.push({ level: w.severity === 'info' ? 'info' : 'warn', text: formatWarning(w) })
  }
  if (!result.ok) {
    for (const p of result.problems) messages.push({ level: 'error', text: formatProblem(p) })
    return { config: null, messages, problems: result.problems, migrateFernetFromLegacySalt }
  }
  return { config: result.config, messages, problems: [], migrateFernetFromLegacySalt }
}

/**
 * Whether the main database already has a user: decides whether a placeholder pepper may still be
 * replaced (replacing it later would make every stored hash and ciphertext unreadable). Any doubt
 * (unreadable file) counts as populated, so the pepper is kept.
 */
function hasUsers(mainDbPath: string): boolean {
  if (!existsSync(mainDbPath)) return false
  try {
    const db = openSqlite(mainDbPath, { readonly: true })
    try {
      const table = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'")
        .get()
      if (!table) return false
      return db.prepare('SELECT 1 FROM users LIMIT 1').get() !== undefined
    } finally {
      db.close()
    }
  } catch {
    return true
  }
}
