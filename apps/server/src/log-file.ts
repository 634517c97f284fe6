import { join } from 'node:path'

export interface LogFileOptions {
  /** LOG_DIR, absolute */
  readonly dir: string
  /** LOG_RETENTION: how many daily files to keep */
  readonly retentionDays: number
}

/**
 * The rolling log file of `LOG_TO_FILE=True` (spec platform.md §2.3 Logging): one JSON-lines
 * file per day, `LOG_DIR/openalgo.YYYY-MM-DD.N.log`, the oldest removed beyond `LOG_RETENTION`
 * files. pino-roll (from the pino organisation) does the rotation; used as a plain stream in this
 * thread, no transport worker. Imported only when file logging is on: it loads the whole of
 * date-fns (~630 modules; +15 MB RSS in a bare process, measured).
 */
export async function openLogFile(options: LogFileOptions): Promise<NodeJS.WritableStream> {
  const { default: pinoRoll } = await import('pino-roll')
  return pinoRoll({
    file: join(options.dir, 'openalgo'),
    extension: '.log',
    frequency: 'daily',
    dateFormat: 'yyyy-MM-dd',
    mkdir: true,
    limit: { count: options.retentionDays },
  })
}
