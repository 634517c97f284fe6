/**
 * The price process: a pure function of (seed, underlying, business minute).
 *
 * log P(τ) = log(anchor) + σ · (ρ · M(τ) + √(1−ρ²) · E(τ))
 *
 * where M is the equity market factor (NIFTY's own noise) and E the underlying's own noise. Each
 * noise is a sum of ten octaves of linearly interpolated value noise with lattice spacings of
 * 4^k business minutes (1 minute up to about two and a half years) and amplitudes ∝ √(4^k), which
 * gives Brownian-like increments (variance ∝ lag) up to the largest octave and mean reversion
 * beyond it: prices wander around their anchor for ever instead of drifting to zero or infinity.
 * Lattice values are hashes of (key, octave, index), so any τ costs 10 hash pairs, O(1).
 *
 * Business time τ advances one unit per trading minute; each trading day gets a slot of
 * (longest session + overnight gap) minutes, each weekend one more slot, so the open gaps from the
 * previous close by the overnight variance.
 */
import { hash3, signedUnit, unit } from './prng.js'

const OCTAVES = 10
/** lattice spacing of each octave in business minutes */
const PERIODS: readonly number[] = Array.from({ length: OCTAVES }, (_, k) => 4 ** k)
/**
 * Octave amplitudes for unit variance per minute. With lattice values uniform in [-1, 1) (variance
 * 1/3), an octave contributes (2/3)·a²·(lag/T)² to the increment variance at lags below its
 * spacing T and about (2/3)·a² above it; with a² = c·T and spacings growing by 4 the sum is
 * (2/3)·c·(1/3 + 4/3)·lag = (10/9)·c·lag, so c = 0.9 gives variance 1 per business minute.
 */
const AMPLITUDES: readonly number[] = PERIODS.map((t) => Math.sqrt(0.9 * t))

/** Overnight gap in business minutes (about a fifth of the equity session's variance). */
export const OVERNIGHT_MINUTES = 75

/** The parameters of one price path. */
export interface PathSpec {
  /** hash of the path's identity and the seed */
  key: number
  /** key of the market factor path (same as `key` for the factor itself) */
  factorKey: number
  /** weight of the factor */
  rho: number
  /** log of the anchor price (rupees) */
  logAnchor: number
  /** volatility per business minute */
  sigmaMinute: number
}

/**
 * Incremental evaluator of one noise path: remembers each octave's lattice cell so walking τ
 * forward minute by minute mostly re-hashes only the finest octaves. Random access works too.
 */
export interface NoiseCursor {
  at(tau: number): number
}

/** A fresh {@link NoiseCursor} for a key. */
export function createNoiseCursor(key: number): NoiseCursor {
  const cell = new Float64Array(OCTAVES).fill(Number.NaN)
  const v0 = new Float64Array(OCTAVES)
  const v1 = new Float64Array(OCTAVES)
  return {
    at(tau: number): number {
      let sum = 0
      for (let k = 0; k < OCTAVES; k++) {
        const period = PERIODS[k] as number
        const i = Math.floor(tau / period)
        const current = cell[k] as number
        if (i !== current) {
          if (i === current + 1) {
            v0[k] = v1[k] as number
          } else {
            v0[k] = signedUnit(hash3(key, k, i))
          }
          v1[k] = signedUnit(hash3(key, k, i + 1))
          cell[k] = i
        }
        const f = (tau - i * period) / period
        const a = v0[k] as number
        sum += (AMPLITUDES[k] as number) * (a + ((v1[k] as number) - a) * f)
      }
      return sum
    },
  }
}

/** Evaluates log-prices of one {@link PathSpec}, reusing noise cursors across calls. */
export interface PathEvaluator {
  readonly spec: PathSpec
  /** log price at business time τ */
  logPrice(tau: number): number
  /** price (rupees, unrounded) at business time τ */
  price(tau: number): number
}

/** A {@link PathEvaluator} for a spec. */
export function createPathEvaluator(spec: PathSpec): PathEvaluator {
  const own = createNoiseCursor(spec.key)
  const factor = spec.rho === 0 ? undefined : createNoiseCursor(spec.factorKey)
  const ownWeight = Math.sqrt(Math.max(0, 1 - spec.rho * spec.rho))
  const logPrice = (tau: number): number => {
    let z = ownWeight === 0 ? 0 : ownWeight * own.at(tau)
    if (factor !== undefined) z += spec.rho * factor.at(tau)
    return spec.logAnchor + spec.sigmaMinute * z
  }
  return { spec, logPrice, price: (tau) => Math.exp(logPrice(tau)) }
}

/** Number of values {@link minuteKeys} writes per minute. */
export const KEYS_PER_MINUTE = 8

/**
 * The path inside one business minute: open at u = 0, three interior points at hashed times, close
 * at u = 1, joined by straight lines, so the minute's extremes are among these five points and the
 * path is exact at any millisecond. Interior values follow a Brownian bridge between open and close.
 *
 * Writes into `out` at `offset`: [u1, u2, u3, open, p1, p2, p3, close] (prices in rupees).
 */
export function minuteKeys(
  spec: PathSpec,
  tau: number,
  logOpen: number,
  logClose: number,
  out: Float64Array,
  offset: number,
): void {
  // three sorted interior times in (0.05, 0.95)
  let a = 0.05 + 0.9 * unit(hash3(spec.key, tau, 0x51))
  let b = 0.05 + 0.9 * unit(hash3(spec.key, tau, 0x52))
  let c = 0.05 + 0.9 * unit(hash3(spec.key, tau, 0x53))
  if (a > b) [a, b] = [b, a]
  if (b > c) [b, c] = [c, b]
  if (a > b) [a, b] = [b, a]
  out[offset] = a
  out[offset + 1] = b
  out[offset + 2] = c
  out[offset + 3] = Math.exp(logOpen)
  out[offset + 4] = Math.exp(bridge(spec, tau, a, logOpen, logClose, 0x61))
  out[offset + 5] = Math.exp(bridge(spec, tau, b, logOpen, logClose, 0x62))
  out[offset + 6] = Math.exp(bridge(spec, tau, c, logOpen, logClose, 0x63))
  out[offset + 7] = Math.exp(logClose)
}

function bridge(
  spec: PathSpec,
  tau: number,
  u: number,
  logOpen: number,
  logClose: number,
  salt: number,
): number {
  // triangular draw with unit variance: (U1 + U2 − 1)·√6
  const h = hash3(spec.key, tau, salt)
  const z = ((h & 0xffff) / 65_536 + (h >>> 16) / 65_536 - 1) * SQRT6
  return logOpen + (logClose - logOpen) * u + spec.sigmaMinute * Math.sqrt(u * (1 - u)) * z
}

/**
 * The price at fraction `u` of a minute from its keys (see {@link minuteKeys}): linear between the
 * key points.
 */
export function priceInMinute(keys: Float64Array, offset: number, u: number): number {
  const u1 = keys[offset] as number
  const u2 = keys[offset + 1] as number
  const u3 = keys[offset + 2] as number
  if (u <= u1) return lerp(keys[offset + 3] as number, keys[offset + 4] as number, u / u1)
  if (u <= u2) {
    return lerp(keys[offset + 4] as number, keys[offset + 5] as number, (u - u1) / (u2 - u1))
  }
  if (u <= u3) {
    return lerp(keys[offset + 5] as number, keys[offset + 6] as number, (u - u2) / (u3 - u2))
  }
  return lerp(keys[offset + 6] as number, keys[offset + 7] as number, (u - u3) / (1 - u3))
}

/**
 * Highest and lowest underlying price of a minute up to fraction `u` (inclusive), written to
 * `out[0]` (max) and `out[1]` (min). With `u = 1` that is the whole minute.
 */
export function minuteRange(
  keys: Float64Array,
  offset: number,
  u: number,
  out: Float64Array,
): void {
  let hi = keys[offset + 3] as number
  let lo = hi
  for (let j = 0; j < 3; j++) {
    if ((keys[offset + j] as number) > u) break
    const p = keys[offset + 4 + j] as number
    if (p > hi) hi = p
    if (p < lo) lo = p
  }
  const now = u >= 1 ? (keys[offset + 7] as number) : priceInMinute(keys, offset, u)
  if (now > hi) hi = now
  if (now < lo) lo = now
  out[0] = hi
  out[1] = lo
}

const SQRT6 = Math.sqrt(6)

function lerp(a: number, b: number, f: number): number {
  return a + (b - a) * f
}
