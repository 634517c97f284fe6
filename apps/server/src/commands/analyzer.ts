import { mainMigrations, openDatabase, type MainDatabase } from '@oa/db'
import { systemClock } from '../clock.js'
import { readAnalyzeMode, writeAnalyzeMode } from '../settings/analyzer-mode.js'
import { configOrNull, println, type CommandIo } from './shared.js'

const USAGE = 'usage: oa analyzer on|off   (no argument: print the current mode)'

/**
 * `oa analyzer on|off` (operator.md): switches analyzer (sandbox) mode. Works whether or not the
 * server runs: it writes `settings.analyze_mode` and bumps `app_meta.settings_epoch` in one
 * transaction (creating and migrating the database if needed). A running server routes every
 * order it receives after this command returned by the new mode (it compares `PRAGMA
 * data_version` on each read of the mode), without a restart. With no argument it prints the mode.
 * Exit 0, or 1 on a bad argument or environment.
 */
export async function analyzerCommand(io: CommandIo): Promise<number> {
  const [arg, ...extra] = io.argv
  const wanted = arg === 'on' ? true : arg === 'off' ? false : arg === undefined ? null : undefined
  if (wanted === undefined || extra.length > 0) {
    println(io.stderr, `oa analyzer: expected "on" or "off"\n${USAGE}`)
    return 1
  }
  const { config } = configOrNull(io)
  if (!config) return 1
  const main = await openDatabase<MainDatabase>(config.storage.mainDb, mainMigrations)
  try {
    if (wanted === null) {
      println(io.stdout, `analyzer mode is ${readAnalyzeMode(main.sqlite) ? 'on' : 'off'}`)
      return 0
    }
    const before = writeAnalyzeMode(main.sqlite, wanted, systemClock.now())
    const mode = wanted ? 'analyze' : 'live'
    println(
      io.stdout,
      before === wanted
        ? `oa: analyzer mode was already ${wanted ? 'on' : 'off'} (${mode})`
        : `oa: analyzer mode switched to ${mode}`,
    )
    return 0
  } finally {
    await main.close()
  }
}
