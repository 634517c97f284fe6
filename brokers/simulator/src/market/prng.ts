/**
 * Counter-based randomness: every random number in the simulator is a hash of (seed, what, when),
 * never a draw from a stateful generator. That is what lets a price at any past timestamp be
 * computed directly, in any order, by any process, and always come out the same.
 */

/** Finalizer of a 32-bit integer hash (lowbias32, Chris Wellons' search); bijective on uint32. */
export function mix32(x: number): number {
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x >>> 0
}

/** Hash of two 32-bit integers. */
export function hash2(a: number, b: number): number {
  return mix32(mix32(a ^ 0x9e3779b9) ^ b)
}

/** Hash of three 32-bit integers. */
export function hash3(a: number, b: number, c: number): number {
  return mix32(mix32(mix32(a ^ 0x9e3779b9) ^ b) ^ c)
}

/** Hash of four 32-bit integers. */
export function hash4(a: number, b: number, c: number, d: number): number {
  return mix32(mix32(mix32(mix32(a ^ 0x9e3779b9) ^ b) ^ c) ^ d)
}

/** FNV-1a over UTF-16 code units, then mixed; `seed` makes two simulators' keys independent. */
export function hashString(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return mix32(h)
}

const TWO_POW_32 = 4_294_967_296

/** A uint32 hash as a float in [0, 1). */
export function unit(h: number): number {
  return h / TWO_POW_32
}

/** A uint32 hash as a float in [-1, 1). */
export function signedUnit(h: number): number {
  return (h / TWO_POW_32) * 2 - 1
}

/**
 * A small sequential generator for build-time choices (names, tickers) where a stream is the
 * natural shape; still fully determined by its seed.
 */
export interface SeededStream {
  /** next uint32 */
  nextU32(): number
  /** next float in [0, 1) */
  next(): number
  /** integer in [0, n) */
  int(n: number): number
  /** one element of a non-empty list */
  pick<T>(list: readonly T[]): T
}

/** A {@link SeededStream} from a seed (a counter run through {@link hash2}). */
export function createStream(seed: number): SeededStream {
  let counter = 0
  const s = seed >>> 0
  const nextU32 = (): number => hash2(s, counter++)
  return {
    nextU32,
    next: () => unit(nextU32()),
    int: (n) => Math.floor(unit(nextU32()) * n),
    pick<T>(list: readonly T[]): T {
      const item = list[Math.floor(unit(nextU32()) * list.length)]
      if (item === undefined) throw new Error('pick from an empty list')
      return item
    },
  }
}
