import { createAuthCache, secureRandom, type AuthCache } from '@oa/auth-cache'
import { mainMigrations, openDatabase, type DatabaseHandle, type MainDatabase } from '@oa/db'
import type { OaConfig } from '@oa/env-check'
import { systemClock } from '../clock.js'

/**
 * Parses `--name value` and `--name=value` flags and positional arguments.
 * Unknown flags are kept so each command can reject them with its own usage line.
 */
export function parseArgs(argv: readonly string[]): {
  flags: Record<string, string>
  positional: string[]
} {
  const flags: Record<string, string> = {}
  const positional: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const eq = arg.indexOf('=')
    if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1)
    else {
      const next = argv[i + 1]
      flags[arg.slice(2)] = next !== undefined && !next.startsWith('--') ? next : ''
      if (next !== undefined && !next.startsWith('--')) i++
    }
  }
  return { flags, positional }
}

/**
 * Opens the main database (creating and migrating it if needed) and an AuthCache over it, for a
 * one-shot command. Its writes bump the auth epoch, so a running server and ws-proxy see them
 * within one poll (operator.md: "a running server sees their effect at once").
 */
export async function openIdentityStore(config: OaConfig): Promise<{
  main: DatabaseHandle<MainDatabase>
  auth: AuthCache
}> {
  const main = await openDatabase<MainDatabase>(config.storage.mainDb, mainMigrations)
  const auth = createAuthCache({
    db: main.sqlite,
    secrets: { pepper: config.secrets.apiKeyPepper, fernetSaltHex: config.secrets.fernetSalt },
    clock: systemClock,
    random: secureRandom,
    expiry: { time: config.session.expiryTime, disabled: config.session.disableExpiry },
  })
  return { main, auth }
}
