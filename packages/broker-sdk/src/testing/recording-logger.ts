import type { Logger } from '../deps.js'

/** One captured log call. */
export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error'
  msg: string
  /** bindings of every `child()` on the way, then the call's fields */
  fields: Record<string, unknown>
}

/** A {@link Logger} that keeps every line, for log-hygiene assertions. */
export interface RecordingLogger extends Logger {
  readonly lines: readonly LogLine[]
  /** every line serialized as JSON, one per line (what a log file would hold) */
  text(): string
}

/** Creates a {@link RecordingLogger}; children share the parent's line buffer. */
export function createRecordingLogger(): RecordingLogger {
  const lines: LogLine[] = []
  const make = (bindings: Record<string, unknown>): Logger => {
    const at =
      (level: LogLine['level']) =>
      (fields: object, msg: string): void => {
        lines.push({ level, msg, fields: { ...bindings, ...fields } })
      }
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      child: (more) => make({ ...bindings, ...more }),
    }
  }
  const root = make({})
  return {
    ...root,
    lines,
    text: () => lines.map((l) => safeJson({ level: l.level, msg: l.msg, ...l.fields })).join('\n'),
  }
}

function safeJson(value: unknown): string {
  const seen = new WeakSet<object>()
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof Error)
      return { name: v.name, message: v.message, stack: v.stack, cause: v.cause }
    if (typeof v === 'object' && v !== null) {
      if (seen.has(v)) return '[circular]'
      seen.add(v)
    }
    return v
  })
}
