import { secureRandom } from '@oa/auth-cache'
import { systemClock } from '../clock.js'
import { createUserService } from '../identity/users.js'
import { createLogger } from '../logger.js'
import { openIdentityStore, parseArgs } from '../identity/cli-support.js'
import { configOrNull, println, type CommandIo } from './shared.js'

const USAGE = 'usage: oa setup --username U --email E --password P'

/**
 * `oa setup --username U --email E --password P` (operator.md): creates the admin user without
 * the browser, first run only. Exit 0, or 1 with a clear message (already set up, weak password,
 * missing option).
 */
export async function setupCommand(io: CommandIo): Promise<number> {
  const { flags } = parseArgs(io.argv)
  const username = flags['username']
  const email = flags['email']
  const password = flags['password']
  if (!username || !email || !password) {
    println(io.stderr, `oa setup: --username, --email and --password are all required\n${USAGE}`)
    return 1
  }
  const { config } = configOrNull(io)
  if (!config) return 1
  const { main, auth } = await openIdentityStore(config)
  try {
    const logger = createLogger({ level: 'warn', pretty: false, destination: io.stderr })
    const users = createUserService({
      db: main.sqlite,
      auth,
      clock: systemClock,
      random: secureRandom,
      logger,
    })
    const result = await users.setup({ username, email, password })
    if (!result.ok) {
      const why =
        result.code === 'already_setup'
          ? 'setup is already done: an admin user exists (log in, or reset the password with TOTP)'
          : result.message
      println(io.stderr, `oa setup: ${why}`)
      return 1
    }
    println(io.stdout, `oa: admin user "${result.username}" created`)
    println(
      io.stdout,
      `oa: TOTP secret for your authenticator app (2FA is off until you enable it): ${result.totpSecret}`,
    )
    println(
      io.stdout,
      'oa: get your API key with `pnpm oa apikey --username ' + result.username + '`',
    )
    return 0
  } finally {
    auth.stop()
    await main.close()
  }
}
