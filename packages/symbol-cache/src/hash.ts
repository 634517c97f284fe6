// String hashing for the snapshot's open-addressing indexes. Why not a Map<string, number>:
// V8's OrderedHashMap costs ~28 bytes per entry at a power-of-two capacity (about 7 MB for 150k
// keys); an Int32Array of row numbers costs 4 bytes per slot (1 MB), and the keys stay in the
// columns we keep anyway. On a lookup, hashing a 20-character symbol costs about what Map.get
// costs for a miss in the CPU cache, so the hot path stays within a small factor of a bare Map.

/** FNV-1a over UTF-16 code units with a final avalanche so the low bits spread well. */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return avalanche(h)
}

/** {@link hashString} of Latin-1 bytes `[start, end)`; equal to hashing the decoded string. */
export function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5
  for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] ?? 0), 0x01000193)
  return avalanche(h)
}

function avalanche(x: number): number {
  let h = x
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  return h >>> 0
}

/** Slot count for `n` keys: a power of two at or above 1.6 n (load factor ≤ 0.625). */
export function tableCapacity(n: number): number {
  let cap = 16
  while (cap < n * 1.6) cap *= 2
  return cap
}
