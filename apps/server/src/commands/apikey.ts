import { openIdentityStore, parseArgs } from '../identity/cli-support.js'
import { configOrNull, println, type CommandIo } from './shared.js'

const USAGE = 'usage: oa apikey --username U'

/**
 * `oa apikey --username U` (operator.md): creates or rotates the user's API key and prints it
 * alone on one line (64 hex chars). The old key stops working at once here, and in a running
 * server and ws-proxy within one epoch poll (~100 ms). Exit 0, or 1 (no such user).
 */
export async function apikeyCommand(io: CommandIo): Promise<number> {
  const { flags } = parseArgs(io.argv)
  const username = flags['username']
  if (!username) {
    println(io.stderr, `oa apikey: --username is required\n${USAGE}`)
    return 1
  }
  const { config } = configOrNull(io)
  if (!config) return 1
  const { main, auth } = await openIdentityStore(config)
  try {
    const user = main.sqlite.prepare('SELECT username FROM users WHERE username = ?').get(username)
    if (!user) {
      println(
        io.stderr,
        `oa apikey: no user named "${username}"; create the admin first with \`oa setup\``,
      )
      return 1
    }
    const key = await auth.issueApiKey(username)
    println(io.stdout, key)
    return 0
  } finally {
    auth.stop()
    await main.close()
  }
}
