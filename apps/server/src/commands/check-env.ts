import { configOrNull, println, type CommandIo } from './shared.js'

/** `oa check-env`: validates the environment only. Exit 0 when valid, 1 with every problem printed. */
export function checkEnvCommand(io: CommandIo): number {
  const { config } = configOrNull(io)
  if (!config) return 1
  println(
    io.stdout,
    `oa: environment OK (broker ${config.broker.name}, data in ${config.storage.dataDir})`,
  )
  return 0
}
