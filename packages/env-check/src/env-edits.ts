// Edits to `.env` text that change only the values they name: quotes, comments, other lines and
// the file's line endings stay as they were.
import { parseDotenvDetailed, quoteDotenvValue, type DotenvBinding } from './dotenv.js'

/**
 * One change to `.env`.
 * - `set`: give every assignment of `variable` this value (keeping its quote style and comment);
 *   when there is none, turn a commented-out `# VARIABLE = ...` line into one, else append a line.
 * - `place_after`: remove every assignment of `variable` and write one, with this value, on the
 *   line right after the first assignment of `after` (FERNET_SALT next to API_KEY_PEPPER, §2.10).
 */
export type EnvEdit =
  | { readonly op: 'set'; readonly variable: string; readonly value: string }
  | {
      readonly op: 'place_after'
      readonly variable: string
      readonly value: string
      readonly after: string
    }

/** `\r\n` when the text uses it anywhere, else `\n`. */
export function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n'
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function requote(original: string, value: string): string {
  // keep single quotes when the original used them and the value allows it; else pick safely
  if (original.startsWith('"') && !/[\\"\r\n]/.test(value)) return `"${value}"`
  return quoteDotenvValue(value)
}

function setValue(text: string, variable: string, value: string): string {
  const bindings = parseDotenvDetailed(text).bindings.filter((b) => b.key === variable)
  if (bindings.length > 0) {
    let out = text
    for (const b of [...bindings].reverse()) {
      const original = out.slice(b.valueStart, b.valueEnd)
      out = out.slice(0, b.valueStart) + requote(original, value) + out.slice(b.valueEnd)
    }
    return out
  }
  const line = `${variable} = ${quoteDotenvValue(value)}`
  const commented = new RegExp(
    `^[ \\t]*#[ \\t]*(?:export[ \\t]+)?${escapeRegExp(variable)}[ \\t]*=[^\\r\\n]*`,
    'm',
  )
  if (commented.test(text)) return text.replace(commented, () => line)
  return appendLine(text, line)
}

function appendLine(text: string, line: string): string {
  const eol = lineEnding(text)
  if (text === '') return `${line}${eol}`
  const sep = text.endsWith('\n') || text.endsWith('\r') ? '' : eol
  return `${text}${sep}${line}${eol}`
}

function removeBindings(text: string, bindings: readonly DotenvBinding[]): string {
  let out = text
  for (const b of [...bindings].sort((x, y) => y.lineStart - x.lineStart)) {
    out = out.slice(0, b.lineStart) + out.slice(b.end)
  }
  return out
}

function placeAfter(text: string, variable: string, value: string, after: string): string {
  const parsed = parseDotenvDetailed(text)
  const cleaned = removeBindings(
    text,
    parsed.bindings.filter((b) => b.key === variable),
  )
  const anchor = parseDotenvDetailed(cleaned).bindings.find((b) => b.key === after)
  const line = `${variable} = ${quoteDotenvValue(value)}`
  if (!anchor) return appendLine(cleaned, line)
  const eol = lineEnding(text)
  const anchorHasBreak = /[\r\n]$/.test(cleaned.slice(anchor.lineStart, anchor.end))
  const insert = anchorHasBreak ? `${line}${eol}` : `${eol}${line}${eol}`
  return cleaned.slice(0, anchor.end) + insert + cleaned.slice(anchor.end)
}

/** Applies edits in order to `.env` text (pure). */
export function applyEditsToText(text: string, edits: readonly EnvEdit[]): string {
  let out = text
  for (const e of edits) {
    out =
      e.op === 'set'
        ? setValue(out, e.variable, e.value)
        : placeAfter(out, e.variable, e.value, e.after)
  }
  return out
}

/**
 * True when `variable`'s first assignment starts on the line right after the first assignment of
 * `after` (exactly one line break between them).
 */
export function isPlacedAfter(text: string, variable: string, after: string): boolean {
  const { bindings } = parseDotenvDetailed(text)
  const anchor = bindings.find((b) => b.key === after)
  const target = bindings.find((b) => b.key === variable)
  if (!anchor || !target) return false
  return target.lineStart === anchor.end && /[\r\n]$/.test(text.slice(anchor.lineStart, anchor.end))
}
