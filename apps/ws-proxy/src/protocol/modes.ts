import type { StreamMode } from '@oa/broker-sdk'

/** The canonical labels the responses echo (streaming.md §1.4). */
export const MODE_LABELS: Readonly<Record<StreamMode, 'LTP' | 'Quote' | 'Depth'>> = {
  1: 'LTP',
  2: 'Quote',
  3: 'Depth',
}

const BY_UPPER_LABEL: Readonly<Record<string, StreamMode>> = { LTP: 1, QUOTE: 2, DEPTH: 3 }

/**
 * A client's `mode` as the reference's `normalize_mode` reads it (openalgo: websocket_proxy/
 * mode_utils.py): the integers 1/2/3 or the labels LTP/Quote/Depth in any case, surrounding
 * spaces ignored; booleans and every other type refused. The messages are the reference's.
 */
export function normalizeMode(
  value: unknown,
): { ok: true; mode: StreamMode } | { ok: false; message: string } {
  if (typeof value === 'number') {
    if (value === 1 || value === 2 || value === 3) return { ok: true, mode: value }
    return {
      ok: false,
      message: `Invalid mode ${Number.isInteger(value) ? value : String(value)}; expected 1 (LTP), 2 (Quote), or 3 (Depth)`,
    }
  }
  if (typeof value === 'string') {
    const mode = BY_UPPER_LABEL[value.trim().toUpperCase()]
    if (mode !== undefined) return { ok: true, mode }
    return {
      ok: false,
      message: `Invalid mode '${value}'; expected 'LTP', 'Quote', or 'Depth' (case-insensitive)`,
    }
  }
  const kind = typeof value === 'boolean' ? 'bool' : value === null ? 'NoneType' : typeof value
  return { ok: false, message: `Mode must be int or str, got ${kind}` }
}
