import { performance } from 'node:perf_hooks'
import type { OaConfig } from '@oa/env-check'
import { existsSync } from 'node:fs'
import { closeSqlite, openSqlite } from '@oa/db'
import { systemClock } from '../clock.js'
import { loadConfig } from '../config.js'
import { reencryptFromLegacySalt } from '../startup/fernet-salt-migration.js'
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
  // Notices go to stderr like the problems: stdout stays clean for what a command prints
  // (`KEY=$(oa apikey ...)` must capture the key alone, even on the very first run).
  for (const m of outcome.messages)
    println(io.stderr, m.level === 'error' ? m.text : `oa: ${m.text}`)
  if (!outcome.config) {
    const count = outcome.messages.filter((m) => m.level === 'error').length
    println(
      io.stderr,
      `oa: ${count} problem${count === 1 ? '' : 's'} in the environment; fix them in .env (see .sample.env) and run again.`,
    )
  }
  if (outcome.config && outcome.migrateFernetFromLegacySalt) {
    const migrated = migrateLegacySalt(outcome.config)
    if (!migrated.ok) {
      println(io.stderr, `oa: ${migrated.message}`)
      return { config: null, durationMs: performance.now() - t0 }
    }
    if (migrated.text) println(io.stderr, `oa: ${migrated.text}`)
  }
  return { config: outcome.config, durationMs: performance.now() - t0 }
}

/**
 * Runs in whichever subcommand first wrote the fresh FERNET_SALT, before anything encrypts with
 * it, so the database never mixes legacy-salt and new-salt ciphertexts.
 */
function migrateLegacySalt(
  config: OaConfig,
): { ok: true; text: string | null } | { ok: false; message: string } {
  const salt = config.secrets.fernetSalt
  if (salt === null || !existsSync(config.storage.mainDb)) return { ok: true, text: null }
  try {
    const sqlite = openSqlite(config.storage.mainDb)
    try {
      const r = reencryptFromLegacySalt(sqlite, {
        pepper: config.secrets.apiKeyPepper,
        newSaltHex: salt,
        clock: systemClock,
      })
      if (r.reencrypted + r.undecryptable === 0) return { ok: true, text: null }
      return {
        ok: true,
        text: `[Fernet salt rotation] re-encrypted ${r.reencrypted} stored secret(s) under the new FERNET_SALT; ${r.undecryptable} row(s) could not be decrypted and will need a fresh broker login.`,
      }
    } finally {
      closeSqlite(sqlite)
    }
  } catch (error) {
    return {
      ok: false,
      message: `re-encrypting stored secrets under the new FERNET_SALT failed (${(error as Error).message}); nothing was changed in the database. Check that ${config.storage.mainDb} is writable and run again.`,
    }
  }
}
