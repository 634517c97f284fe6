/**
 * Free-text redaction for logs (spec platform.md §7.12, W-17): pino's `redact` paths catch
 * secrets in known fields; this catches them inside messages and error text and stacks, where
 * `Bearer <x>`, `key=value`, `key: value` and `"key": "value"` forms leak otherwise. Also masks
 * bare 64-hex runs (OpenAlgo API keys and similar tokens) wherever they appear.
 */
const KEYS = [
  'api_key_pepper',
  'api[_-]?key',
  'apikey',
  'app[_-]?key',
  'password',
  'passwd',
  'new_password',
  'old_password',
  'access[_-]?token',
  'enctoken',
  'feed[_-]?token',
  'session[_-]?token',
  'auth[_-]?token',
  'authorization',
  'secret',
  'pepper',
  'totp(?:_code)?',
  'csrf[_-]?token',
  'token',
].join('|')

const PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=:-]{8,}/gi, '$1 [REDACTED]'],
  // "key": "value" and 'key': 'value'
  [new RegExp(`(["']?(?:${KEYS})["']?\\s*:\\s*)(["'])(?:(?!\\2).)*\\2`, 'gi'), '$1$2[REDACTED]$2'],
  // key=value and key: value (unquoted, up to a separator)
  [
    new RegExp(`\\b((?:${KEYS})\\s*[=:]\\s*)(?!\\[REDACTED\\])[^\\s,;&"'}\\]]+`, 'gi'),
    '$1[REDACTED]',
  ],
  [/\b[0-9a-f]{64}\b/gi, '[REDACTED-HEX64]'],
]

/** Returns `text` with secrets masked. */
export function redactText(text: string): string {
  let out = text
  for (const [re, replacement] of PATTERNS) out = out.replace(re, replacement)
  return out
}

/** A pino `err` serializer that runs message and stack through {@link redactText}. */
export function redactedErrorSerializer(err: unknown): unknown {
  if (!(err instanceof Error)) return typeof err === 'string' ? redactText(err) : err
  const out: Record<string, unknown> = {
    type: err.name,
    message: redactText(err.message),
    stack: err.stack ? redactText(err.stack) : undefined,
  }
  const code = (err as { code?: unknown }).code
  if (code !== undefined) out['code'] = code
  if (err.cause !== undefined) out['cause'] = redactedErrorSerializer(err.cause)
  return out
}

/**
 * A pino `hooks.logMethod` that redacts string arguments (the message, and `%s` values) before
 * pino formats them.
 */
export function redactingLogMethod(
  this: unknown,
  args: unknown[],
  method: (...a: unknown[]) => void,
): void {
  method.apply(
    this,
    args.map((a) => (typeof a === 'string' ? redactText(a) : a)),
  )
}
