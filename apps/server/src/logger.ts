import { createRequire } from 'node:module'
import type { Writable } from 'node:stream'
import pino, { type Logger as PinoLogger } from 'pino'
import type PinoPretty from 'pino-pretty'
import { redactedErrorSerializer, redactingLogMethod } from './security/redact.js'

const requireHere = createRequire(import.meta.url)

export type Logger = PinoLogger

/**
 * Field paths pino blanks out wherever they appear, as a second net: the first is never putting a
 * secret in a log call (STYLE.md §9, spec platform.md §7.12).
 */
export const REDACT_PATHS = [
  'apikey',
  'api_key',
  'apiKey',
  'password',
  'new_password',
  'token',
  'auth',
  'authToken',
  'feedToken',
  'access_token',
  'feed_token',
  'totp',
  'totp_code',
  'secret',
  'pepper',
  'authorization',
  'cookie',
  '*.apikey',
  '*.api_key',
  '*.apiKey',
  '*.password',
  '*.token',
  '*.authToken',
  '*.feedToken',
  '*.access_token',
  '*.totp',
  '*.secret',
  '*.authorization',
  '*.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'old_password',
  'current_password',
  'confirm_password',
  'csrf_token',
  'session_id',
  '*.new_password',
  '*.csrf_token',
  'req.headers["x-csrftoken"]',
  'req.headers["x-csrf-token"]',
]

export interface LoggerOptions {
  readonly level: string
  /** human-readable lines (a TTY); otherwise one JSON object per line */
  readonly pretty: boolean
  readonly colors?: boolean
  /** where lines go, default stdout */
  readonly destination?: NodeJS.WritableStream
  /** a second destination that always gets JSON lines (the rolling log file of LOG_TO_FILE) */
  readonly file?: NodeJS.WritableStream
}

/** The one pino logger of a process; every component gets a child of it. */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
    // free text too: messages, error messages and stacks (W-17)
    serializers: { err: redactedErrorSerializer },
    hooks: { logMethod: redactingLogMethod },
    base: { pid: process.pid },
  }
  const destination = options.destination ?? process.stdout
  let console: pino.DestinationStream
  if (options.pretty) {
    // synchronous pretty-printing in this thread: no transport worker to start (startup time).
    // Loaded only for a terminal: a server under Docker or systemd logs JSON and never needs it
    // (pino-pretty and its dependencies: ~1 MB of heap, more in compiled code)
    const pretty = requireHere('pino-pretty') as typeof PinoPretty
    console = pretty({
      colorize: options.colors ?? true,
      sync: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
      destination: destination as Writable,
    }) as pino.DestinationStream
  } else {
    console =
      (options.destination as pino.DestinationStream | undefined) ??
      pino.destination({ dest: 1, sync: true })
  }
  if (!options.file) return pino(base, console)
  return pino(
    base,
    pino.multistream([
      { stream: console, level: options.level as pino.Level },
      { stream: options.file as pino.DestinationStream, level: options.level as pino.Level },
    ]),
  )
}
