import { checkEnvCommand } from './commands/check-env.js'
import type { CommandIo } from './commands/shared.js'
import { println } from './commands/shared.js'
import { startCommand } from './commands/start.js'
import { apikeyCommand } from './commands/apikey.js'
import { setupCommand } from './commands/setup.js'
import { unbanCommand } from './commands/unban.js'
import { analyzerCommand } from './commands/analyzer.js'

type Command = (io: CommandIo) => number | Promise<number>

/** Subcommands of `oa` (spec operator.md). Areas add theirs here. */
const COMMANDS: Record<string, { run: Command; help: string }> = {
  start: { run: startCommand, help: 'start the server and the WebSocket proxy' },
  'check-env': {
    run: checkEnvCommand,
    help: 'validate .env and the environment; print every problem',
  },
  setup: {
    run: setupCommand,
    help: 'create the admin user: --username U --email E --password P (first run only)',
  },
  apikey: {
    run: apikeyCommand,
    help: "create or rotate a user's API key and print it: --username U",
  },
  unban: { run: unbanCommand, help: 'lift the ban of an IP address: unban IP' },
  analyzer: {
    run: analyzerCommand,
    help: 'switch analyzer (sandbox) mode: analyzer on|off (a running server follows at once)',
  },
}

function usage(): string {
  const rows = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(12)} ${c.help}`)
  return ['usage: oa <command> [options]', '', 'commands:', ...rows].join('\n')
}

/** Entry point of the `oa` command; resolves with the process exit code. */
export async function main(
  argv: readonly string[],
  io: Omit<CommandIo, 'argv'> = {
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
  },
): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    println(io.stdout, usage())
    return name ? 0 : 1
  }
  const command = COMMANDS[name]
  if (!command) {
    println(io.stderr, `oa: unknown command "${name}"\n\n${usage()}`)
    return 1
  }
  return command.run({ ...io, argv: rest })
}
