import type { EnvProblem, EnvWarning } from './types.js'

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}

function sentence(text: string): string {
  const t = oneLine(text)
  return t === '' || /[.!?]$/.test(t) ? t : `${t}.`
}

/**
 * One line naming the variable, what is wrong, what was found (secrets already masked) and how
 * to fix it: `FLASK_PORT: must be a valid port number (0-65535), found "abc". Set FLASK_PORT = '5000'.`
 */
export function formatProblem(p: EnvProblem): string {
  const found = p.found === '(missing)' ? '' : `, found ${oneLine(p.found)}`
  return `${p.variable}: ${oneLine(p.message).replace(/[.!]$/, '')}${found}. ${sentence(p.fix)}`
}

/** One line for a warning: `FERNET_SALT: is not set: ...`, or just the message. */
export function formatWarning(w: EnvWarning): string {
  return w.variable ? `${w.variable}: ${oneLine(w.message)}` : oneLine(w.message)
}
