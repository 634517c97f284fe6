/**
 * Field-by-field shape comparison of a response against the original's documented example:
 * every documented key must be present with the same JSON type (number, string, boolean, null,
 * array, object), recursively; arrays compare their first elements when both have one. Extra
 * keys are allowed (the reimplementation may add fields, as the spec permits). Numbers in the
 * original are numbers, strings stay strings: `"quantity": "1"` vs `1` is a mismatch.
 */

export type JsonType = 'number' | 'string' | 'boolean' | 'null' | 'array' | 'object'

export function jsonType(v: unknown): JsonType {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'array'
  const t = typeof v
  if (t === 'number' || t === 'string' || t === 'boolean') return t
  return 'object'
}

/** The mismatches (`path: expected X, got Y`), empty when the shapes agree. */
export function shapeMismatches(documented: unknown, actual: unknown, path = '$'): string[] {
  const want = jsonType(documented)
  const got = jsonType(actual)
  if (want !== got) return [`${path}: expected ${want}, got ${got}`]
  if (want === 'array') {
    const d = (documented as unknown[])[0]
    const a = (actual as unknown[])[0]
    return d === undefined || a === undefined ? [] : shapeMismatches(d, a, `${path}[0]`)
  }
  if (want === 'object') {
    const out: string[] = []
    const a = actual as Record<string, unknown>
    for (const [key, value] of Object.entries(documented as Record<string, unknown>)) {
      if (!(key in a)) out.push(`${path}.${key}: missing`)
      else out.push(...shapeMismatches(value, a[key], `${path}.${key}`))
    }
    return out
  }
  return []
}
