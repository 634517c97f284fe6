import { isIP } from 'node:net'
import {
  logsMigrations,
  mainMigrations,
  openDatabase,
  type LogsDatabase,
  type MainDatabase,
} from '@oa/db'
import { systemClock } from '../clock.js'
import { createLogger } from '../logger.js'
import { normalizeIp } from '../security/client-ip.js'
import { createSecurityServices } from '../security/security.js'
import { parseArgs } from '../identity/cli-support.js'
import { configOrNull, println, type CommandIo } from './shared.js'

const USAGE = 'usage: oa unban IP'

/**
 * `oa unban IP`: lifts a ban (and forgets that IP's abuse history). A running server drops its
 * cached verdict within one epoch poll (`ban_epoch`). Exit 0 when the IP was banned, 1 when it
 * was not or is not an IP address.
 */
export async function unbanCommand(io: CommandIo): Promise<number> {
  const { positional } = parseArgs(io.argv)
  const raw = positional[0]
  if (!raw || positional.length > 1 || isIP(normalizeIp(raw)) === 0) {
    println(io.stderr, `oa unban: give one IPv4 or IPv6 address\n${USAGE}`)
    return 1
  }
  const ip = normalizeIp(raw)
  const { config } = configOrNull(io)
  if (!config) return 1
  const main = await openDatabase<MainDatabase>(config.storage.mainDb, mainMigrations)
  const logs = await openDatabase<LogsDatabase>(config.storage.logsDb, logsMigrations)
  try {
    const logger = createLogger({ level: 'warn', pretty: false, destination: io.stderr })
    const security = createSecurityServices({ config, clock: systemClock, logger, main, logs })
    if (!security.bans.unban(ip)) {
      println(io.stderr, `oa unban: ${ip} is not banned`)
      return 1
    }
    println(io.stdout, `oa: ${ip} unbanned`)
    return 0
  } finally {
    await logs.close()
    await main.close()
  }
}
