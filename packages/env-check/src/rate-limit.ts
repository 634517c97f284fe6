import type { RateLimit, RateLimitRule } from './types.js'

// spec: platform.md §2.7. One limit is `<int><ws>per<ws><unit>`; a compound limit joins single
// limits with `;` and no spaces. Full match, case-sensitive, singular units only.
const SINGLE = /^(\d+)\s+per\s+(second|minute|hour|day)$/
const FULL = /^\d+\s+per\s+(?:second|minute|hour|day)(?:;\d+\s+per\s+(?:second|minute|hour|day))*$/

export type RateLimitOutcome =
  | { readonly ok: true; readonly value: RateLimit }
  | { readonly ok: false; readonly message: string }

/**
 * Parses a Flask-Limiter string such as `10 per second;40 per minute`. Beyond the original's
 * grammar, a count of 0 is refused: it would block every request.
 */
export function parseRateLimit(text: string): RateLimitOutcome {
  if (!FULL.test(text)) {
    return {
      ok: false,
      message:
        "must be 'number per timeunit' (second, minute, hour or day), compound limits joined by ';' without spaces",
    }
  }
  const rules: RateLimitRule[] = []
  for (const part of text.split(';')) {
    const m = SINGLE.exec(part)
    const count = Number(m?.[1])
    if (!m || !Number.isSafeInteger(count) || count < 1)
      return { ok: false, message: 'each limit needs a count of at least 1' }
    rules.push({ count, per: m[2] as RateLimitRule['per'] })
  }
  return { ok: true, value: { text, rules } }
}
