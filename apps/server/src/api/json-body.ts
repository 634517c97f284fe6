/**
 * Strict JSON request bodies (spec api.md §1.2 and W-1): the original turns a bad body into a 500;
 * here every malformed body is a 400 in the envelope, with the reason.
 */

export type JsonBodyResult = { ok: true; value: unknown } | { ok: false; message: string }

/** Largest accepted body, bytes. A 100-leg basket is ~15 kB. */
export const MAX_BODY_BYTES = 256 * 1024

/**
 * Parses `text` as JSON, rejecting what `JSON.parse` lets through silently: duplicate keys
 * (which value would win is a guess), numbers that do not fit a double exactly enough to be a
 * price or quantity (±∞, integers beyond 2^53).
 */
export function parseJsonBody(text: string): JsonBodyResult {
  let value: unknown
  try {
    // no reviver: V8 parses several times faster without one; the numbers are checked after
    value = JSON.parse(text)
  } catch {
    return { ok: false, message: 'Invalid JSON body' }
  }
  const keys = keysIfInRange(value)
  if (keys < 0) return { ok: false, message: 'Invalid JSON body: a number is out of range' }
  // A duplicate collapses into one property, so the parsed value then has fewer keys than the
  // text has key tokens. Counting both allocates nothing; only a body that fails the count is
  // scanned again, with sets, to name the key.
  if (keys !== keyTokens(text)) {
    const dup = findDuplicateKey(text)
    if (dup !== null) return { ok: false, message: `Invalid JSON body: duplicate key '${dup}'` }
  }
  return { ok: true, value }
}

/**
 * The number of object keys in `root`, or -1 when a number in it is ±∞ (`1e400`) or an integer
 * beyond 2^53 (not exact). An explicit stack, not recursion: a 256 kB body can nest arrays
 * 100,000 deep.
 */
function keysIfInRange(root: unknown): number {
  let keys = 0
  const stack: unknown[] = [root]
  while (stack.length > 0) {
    const v = stack.pop()
    if (typeof v === 'number') {
      if (!numberInRange(v)) return -1
    } else if (Array.isArray(v)) {
      for (const item of v) stack.push(item)
    } else if (typeof v === 'object' && v !== null) {
      for (const key in v) {
        keys++
        stack.push((v as Record<string, unknown>)[key])
      }
    }
  }
  return keys
}

function numberInRange(v: number): boolean {
  return Number.isFinite(v) && (!Number.isInteger(v) || Number.isSafeInteger(v))
}

/** The index of the quote that closes the JSON string opening at `open` (escapes skipped). */
function stringEnd(text: string, open: number): number {
  let i = open + 1
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === 0x5c /* \ */) i += 2
    else if (c === 0x22 /* " */) return i
    else i++
  }
  return i
}

/** How many strings of a syntactically valid JSON text are object keys (followed by `:`). */
export function keyTokens(text: string): number {
  let keys = 0
  const n = text.length
  for (let i = 0; i < n; i++) {
    if (text.charCodeAt(i) !== 0x22 /* " */) continue
    i = stringEnd(text, i)
    let j = i + 1
    while (j < n) {
      const c = text.charCodeAt(j)
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break
      j++
    }
    if (text.charCodeAt(j) === 0x3a /* : */) keys++
  }
  return keys
}

/**
 * Returns the first key that appears twice in the same object of a syntactically valid JSON text,
 * or null. One pass, no allocation beyond the key sets of open objects.
 */
export function findDuplicateKey(text: string): string | null {
  const stack: { keys: Set<string> | null; expectKey: boolean }[] = []
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i)
    if (ch === 0x22 /* " */) {
      const start = i
      i = stringEnd(text, i)
      const top = stack[stack.length - 1]
      if (top?.keys && top.expectKey) {
        const raw = text.slice(start, i + 1)
        const key = raw.includes('\\') ? (JSON.parse(raw) as string) : raw.slice(1, -1)
        if (top.keys.has(key)) return key
        top.keys.add(key)
        top.expectKey = false
      }
    } else if (ch === 0x7b /* { */) {
      stack.push({ keys: new Set(), expectKey: true })
    } else if (ch === 0x5b /* [ */) {
      stack.push({ keys: null, expectKey: false })
    } else if (ch === 0x7d /* } */ || ch === 0x5d /* ] */) {
      stack.pop()
    } else if (ch === 0x2c /* , */) {
      const top = stack[stack.length - 1]
      if (top?.keys) top.expectKey = true
    }
  }
  return null
}
